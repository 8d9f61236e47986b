"""Read and write media: decoding and sampling (PyAV), exact cuts, audio, speech recognition, on-screen
text, prefetch threads."""
