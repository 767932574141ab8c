"""The township report view: villages adding up, adjustments, completeness, export."""
