"""Writing only: tables, files and figures from results computed upstream."""
