"""SVG-AI inference service: PNG logos to SVG, helped by two TorchScript models."""

__version__ = "1.0.0"
