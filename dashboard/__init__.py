"""The Dash app: layout, figures and thin callbacks that call plain functions in ``layers``."""
