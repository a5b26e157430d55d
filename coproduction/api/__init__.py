"""The open data API at /api/v1/ (see base.py for what it publishes)."""
