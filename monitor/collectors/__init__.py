"""Where dossiers come from: files (national JSON, CSV, XLSX) and HTTP feeds."""
