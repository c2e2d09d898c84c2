"""The web console: server-rendered pages over the service layer, in Chinese and English."""
