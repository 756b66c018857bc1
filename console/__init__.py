"""Streamlit console pages: layout only; queries and metrics live in monitor/."""
