"""Crosswalks between the catalogue record and its XML and file formats."""
