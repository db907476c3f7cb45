"""Golden report PDFs made with reportlab, each with its true text (see layout.py)."""
