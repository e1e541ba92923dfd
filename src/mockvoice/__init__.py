"""mockvoice: offline voice rehearsal for behavioral (STAR) interviews."""

__version__ = "0.1.0"
