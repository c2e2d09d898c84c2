"""Training the learned detectors (torch; the ``train`` extra). Imported only by
``tradeshield forensics train``: the service runs the exported ONNX files without torch."""
