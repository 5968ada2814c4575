"""rnncore: recurrent neural networks in the course's notation (PyTorch, no UI code)."""

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
