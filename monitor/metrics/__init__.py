"""Queries and metrics for the console and reports; no Streamlit here."""
