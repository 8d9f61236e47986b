"""Dataset builders: run the decoder, backbones and query generator over videos to write eccv16 h5 files,
QMS layouts and feature caches; the `vidgist datasets check` report."""
