"""A deterministic 2-D picture of the states a<1>..a<T_x> (principal axes, no random choice)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass
class Projection:
    """states (T_x, n) projected on their first two principal axes.

    coords: (T_x, 2); components: (2, n) unit vectors; mean: (n,); explained: the share of the
    states' variance along each axis (0 when the states do not vary).
    """

    coords: Tensor
    components: Tensor
    mean: Tensor
    explained: list[float]


def pca_2d(states: Tensor) -> Projection:
    """Principal component analysis of the rows of ``states`` (T_x, n), no randomness involved.

    Each axis's sign is fixed so that its largest-magnitude loading is positive, so the same
    states always give the same picture.  Fewer than two axes of variation leave zero columns.
    """
    X = states.detach().double()  # (T_x, n)
    mean = X.mean(dim=0)  # (n,)
    centred = X - mean
    _, S, Vh = torch.linalg.svd(centred, full_matrices=False)  # Vh: (k, n), k = min(T_x, n)
    components = torch.zeros(2, X.shape[1], dtype=X.dtype)
    k = min(2, Vh.shape[0])
    components[:k] = Vh[:k]
    for i in range(k):
        if components[i, components[i].abs().argmax()] < 0:
            components[i] = -components[i]
    variance = S.pow(2)
    total = float(variance.sum())
    explained = [float(variance[i]) / total if total > 0 and i < len(variance) else 0.0 for i in range(2)]
    coords = centred @ components.T  # (T_x, 2)
    return Projection(coords.float(), components.float(), mean.float(), explained)
