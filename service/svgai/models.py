"""The two network definitions. Only used to train/export; the service loads the TorchScript files."""
from __future__ import annotations

import torch
from torch import nn


class LogoClassifier(nn.Module):
    """Small CNN: 3x64x64 pixels (0..255) -> class probabilities."""

    def __init__(self, num_classes: int = 4) -> None:
        super().__init__()

        def block(cin: int, cout: int) -> nn.Sequential:
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                                 nn.MaxPool2d(2))

        self.features = nn.Sequential(block(3, 16), block(16, 32), block(32, 48), block(48, 64))
        self.head = nn.Linear(64 * 2, num_classes)

    def logits(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.features((pixels - 127.5) / 127.5)
        # Mean and max pooling: mean sees fills and gradients, max keeps small sharp details (text, lines).
        pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return self.head(pooled)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(pixels), dim=1)


class QualityPredictor(nn.Module):
    """MLP: image features + class probabilities + vectorizer parameters -> expected SSIM in 0..1."""

    def __init__(self, num_inputs: int) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(num_inputs))
        self.register_buffer("std", torch.ones(num_inputs))
        self.net = nn.Sequential(nn.Linear(num_inputs, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 1))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.net((features - self.mean) / self.std)).squeeze(1)
