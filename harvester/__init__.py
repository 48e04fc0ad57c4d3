"""The OAI-PMH client and the sync of partner archives into the catalogue."""
