"""Model-assisted conversion: classify the logo, predict quality, pick vectorizer parameters."""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np
import torch

from .conversion import Conversion, convert
from .features import classifier_input, image_features, predictor_row
from .quality import colour_error
from .registry import LoadedModels
from .vectorize import VectorizeParams, quantize
from .workers import ConversionTimeout

# (rgb, converter, params, deadline as a time.monotonic() instant) -> Conversion
ConvertFn = Callable[[np.ndarray, str, VectorizeParams, float], Conversion]


def local_convert(rgb: np.ndarray, converter: str, params: VectorizeParams, deadline: float) -> Conversion:
    """In-process conversion (tools and tests); the service runs conversions in worker processes."""
    return convert(rgb, converter, params, max(0.05, deadline - time.monotonic()))


# Starting points per logo type for `smart_auto`: few colours for flat logos, more for gradients and
# busy artwork; text keeps corners sharp (lower alphamax) and drops no small specks (punctuation).
PRESETS: Dict[str, Tuple[str, VectorizeParams]] = {
    # Never fewer colours than potrace_color's default: near-duplicate colours merge anyway, while a preset
    # of 3-4 colours merged the stripes and backgrounds of real artwork that needs 5.
    "simple_geometric": ("potrace_color", VectorizeParams(colors=6, turdsize=2, alphamax=1.0)),
    "text_based": ("potrace_color", VectorizeParams(colors=6, turdsize=0, alphamax=0.8)),
    "gradient": ("potrace_color", VectorizeParams(colors=12, turdsize=4, alphamax=1.0)),
    "complex": ("potrace_color", VectorizeParams(colors=12, turdsize=2, alphamax=1.0)),
}

# How many candidate conversions each tier may actually run and measure.
TIER_ATTEMPTS = {1: 1, 2: 3, 3: 6}

CANDIDATES: List[Tuple[str, VectorizeParams]] = (
    [("potrace", VectorizeParams(turdsize=t, alphamax=a)) for t, a in itertools.product((0, 2, 8), (0.6, 1.0, 1.2))]
    + [("potrace_color", VectorizeParams(colors=c, turdsize=t, alphamax=a))
       for c, t, a in itertools.product((2, 3, 4, 6, 8, 12, 16), (0, 2, 8), (0.6, 1.0, 1.2))]
)


# The classifier picks the parameter family, the predictor tunes within it. SSIM is computed on luma, so it
# barely sees colour: without this floor a gradient or multi-colour logo "passes" as a one-colour trace.
# label -> (single-colour potrace allowed, fewest colour layers)
FAMILIES: Dict[str, Tuple[bool, int]] = {
    "simple_geometric": (True, 2),
    "text_based": (True, 2),
    "gradient": (False, 6),
    "complex": (False, 6),
}


BASELINE: Tuple[str, VectorizeParams] = ("potrace_color", VectorizeParams())
_TWO_TONE_ERROR = 0.05


def two_tone(rgb: np.ndarray) -> bool:
    """Whether two colours draw the image: its best two-colour version has at most 5 % of pixels off."""
    palette, index = quantize(rgb, 2)
    return colour_error(rgb, palette[index]) <= _TWO_TONE_ERROR


def candidates_for(label: str) -> List[Tuple[str, VectorizeParams]]:
    mono_allowed, min_colors = FAMILIES[label]
    return [(c, p) for c, p in CANDIDATES
            if (c == "potrace" and mono_allowed) or (c == "potrace_color" and p.colors >= min_colors)]


def _cost(candidate: Tuple[str, VectorizeParams]) -> Tuple[int, int]:
    """Smaller SVGs first: fewer colour layers, then more speckle suppression."""
    converter, params = candidate
    return (1 if converter == "potrace" else params.colors, -params.turdsize)


@dataclass(frozen=True)
class Classification:
    label: str
    confidence: float
    probabilities: Dict[str, float]
    seconds: float


@dataclass(frozen=True)
class Attempt:
    conversion: Conversion
    predicted_ssim: float


@dataclass(frozen=True)
class AiConversion:
    classification: Classification
    chosen: Attempt
    attempts: List[Attempt]
    inference_seconds: float


class Engine:
    """Stateless per call; safe to share between worker threads (TorchScript forward is re-entrant)."""

    def __init__(self, models: LoadedModels, convert_fn: ConvertFn = local_convert) -> None:
        self.models, self.convert = models, convert_fn

    def classify(self, rgb: np.ndarray) -> Classification:
        started = time.perf_counter()
        with torch.no_grad():
            probs = self.models.classifier(torch.from_numpy(classifier_input(rgb)).unsqueeze(0))[0].tolist()
        best = int(np.argmax(probs))
        return Classification(label=self.models.classes[best], confidence=float(probs[best]),
                              probabilities={c: round(float(p), 4) for c, p in zip(self.models.classes, probs)},
                              seconds=time.perf_counter() - started)

    def predict(self, rgb: np.ndarray, alpha: np.ndarray, classification: Classification,
                candidates: Sequence[Tuple[str, VectorizeParams]]) -> List[float]:
        feats = image_features(rgb, alpha)
        probs = [classification.probabilities[c] for c in self.models.classes]
        rows = [predictor_row(feats, probs, converter, params) for converter, params in candidates]
        with torch.no_grad():
            return self.models.predictor(torch.tensor(rows, dtype=torch.float32)).tolist()

    def smart_auto(self, rgb: np.ndarray, deadline: float) -> Tuple[Classification, Conversion]:
        classification = self.classify(rgb)
        converter, params = PRESETS[classification.label]
        return classification, self.convert(rgb, converter, params, deadline)

    def convert_ai(self, rgb: np.ndarray, alpha: np.ndarray, tier: int, target: float, deadline: float
                   ) -> AiConversion:
        """Rank the logo type's candidates by predicted SSIM; measure the cheapest expected to reach ``target``
        (judged on the measured colour-aware ``Quality.score``).

        From tier 2 on, the first two attempts always run, the models' pick and plain potrace_color, so an answer
        that meets the target still competes with the converter convert-ai improves on; then it stops at the first
        attempt that reaches the target. The answer is the best measured attempt. When the deadline passes after
        at least one measured attempt, the best so far is the answer.
        """
        started = time.perf_counter()
        classification = self.classify(rgb)
        candidates = candidates_for(classification.label)
        if not two_tone(rgb):  # the classifier called 14 of 40 colour emoji "simple": one colour cannot draw them
            candidates = [(c, p) for c, p in candidates if c != "potrace"] or candidates_for("complex")
        predicted = self.predict(rgb, alpha, classification, candidates)
        inference_seconds = time.perf_counter() - started
        ranked = sorted(zip(candidates, predicted), key=lambda cp: _cost(cp[0]))
        meeting = [cp for cp in ranked if cp[1] >= target]
        rest = sorted((cp for cp in ranked if cp[1] < target), key=lambda cp: -cp[1])
        plan = meeting + rest
        if TIER_ATTEMPTS[tier] > 1:
            # The second attempt is plain potrace_color, so a wrong guess of the models costs one attempt and
            # convert-ai is never far worse than the converter it is meant to improve on.
            baseline = next(((cp, s) for cp, s in plan if cp == BASELINE), None)
            if baseline is None:
                baseline = (BASELINE, float(self.predict(rgb, alpha, classification, [BASELINE])[0]))
            plan = [cp for cp in plan if cp[0] != BASELINE]
            plan.insert(1, baseline)
        attempts: List[Attempt] = []
        for (converter, params), score in plan[: TIER_ATTEMPTS[tier]]:
            try:
                attempts.append(Attempt(self.convert(rgb, converter, params, deadline), float(score)))
            except ConversionTimeout:
                if not attempts:
                    raise
                break
            if attempts[-1].conversion.quality.score >= target and len(attempts) >= min(2, TIER_ATTEMPTS[tier]):
                break
        # Judged on the colour-aware score: luma SSIM lets a wrongly coloured conversion pass.
        chosen = max(attempts, key=lambda a: a.conversion.quality.score)
        return AiConversion(classification, chosen, attempts, inference_seconds)
