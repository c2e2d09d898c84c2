"""The yardstick: our engine and classical baselines scored side by side on labelled photos
(generator output, the public sets or a folder tree). See `runner.evaluate`."""
