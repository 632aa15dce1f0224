"""``SetNorm``: centre and scale a sample's point features over its points (the ASEN encoder's default end).

Reference: Zhang, Zhang, Hare and Prugel-Bennett, *Set Norm and Equivariant Skip Connections: Putting the
Deep in Deep Sets* (ICML 2022), which normalises "over both the set elements and the features". Here the
mean is taken per channel over the real points of each sample, the scale over its points and channels:

.. math::
    \\mu_b = \\frac{1}{n_b}\\sum_{p} h_{bp},\\qquad
    \\sigma_b^2 = \\frac{1}{n_b d}\\sum_{p,k} (h_{bpk} - \\mu_{bk})^2,\\qquad
    y_{bp} = w \\odot \\frac{h_{bp} - \\mu_b}{\\sqrt{\\sigma_b^2 + \\epsilon}} + b + g \\odot \\mu_b

Centring removes what every point of a sample shares (for one-hot marks, the features of the unmarked
points), which otherwise enters every sum over senders as a large sample-constant offset that keeps the
body's ReLUs on one side of their kink for all inputs. ``g`` starts at zero and lets training bring the
removed mean back where a task needs it. The map is equivariant to every permutation of the points.

**Samples without spread.** When every point of a sample carries the same features (constant data under a
transitive group), ``sigma_b`` is rounding noise and dividing by it would amplify that noise by
``1/sqrt(eps)`` in every block until the outputs are noise (the verifier's constant inputs then fail). A
sample whose spread is at most ``tol`` of its root mean square (``sigma_b^2 <= tol^2 m_b``, ``m_b`` the mean
of ``h^2`` over its points and channels; ``tol = min(64 * finfo.eps, 1e-3)``: 7.6e-6 in float32) has its
points' centred part set to 0 (equal points stay exactly equal) and the other rows scaled by ``sqrt(m_b)``,
which never amplifies. Data with a real spread that small (features offset far from zero) want
standardising before the model anyway.

Examples
--------
>>> import torch
>>> norm = SetNorm(4)
>>> y = norm(torch.randn(2, 5, 4) + 3.0)
>>> bool(y.mean(1).abs().max() < 1e-5), round(float(y.pow(2).mean()), 3)
(True, 1.0)
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

__all__ = ["SetNorm", "spread_tolerance"]


def spread_tolerance(dtype: torch.dtype) -> float:
    """The relative spread below which :class:`SetNorm` treats a sample as constant: ``min(64 eps, 1e-3)``.

    >>> spread_tolerance(torch.float32), spread_tolerance(torch.float64) < 1e-13
    (7.62939453125e-06, True)
    """
    return min(64 * torch.finfo(dtype).eps, 1e-3)


class SetNorm(nn.Module):
    """Centre per channel over the points, scale to unit mean square over points and channels, then affine.

    Shapes: ``h (B, n, d)``, ``mask (B, n)`` bool or None -> ``(B, n, d)``. ``mask`` picks the rows the
    statistics come from (the real points); the same map is applied to every row, so rows outside the mask
    (padding, or a body's auxiliary vertices) keep their scale relative to the points.
    """

    def __init__(self, width: int, *, eps: float = 1e-5):
        super().__init__()
        self.width, self.eps = width, eps
        self.weight = nn.Parameter(torch.ones(width))
        self.bias = nn.Parameter(torch.zeros(width))
        self.mean_gain = nn.Parameter(torch.zeros(width))

    def forward(self, h: Tensor, mask: Tensor | None = None) -> Tensor:
        if mask is None:
            mu = h.mean(1, keepdim=True)
            c = h - mu
            var = c.pow(2).mean((1, 2), keepdim=True)
        else:
            m = mask.unsqueeze(-1).to(h.dtype)
            count = m.sum(1, keepdim=True).clamp(min=1)
            mu = (h * m).sum(1, keepdim=True) / count
            c = h - mu
            var = (c * m).pow(2).sum((1, 2), keepdim=True) / (count * h.shape[-1])
        ms = var + mu.pow(2).mean(-1, keepdim=True)  # mean of h^2 over the points and channels
        tol = spread_tolerance(h.dtype)
        flat = var <= tol * tol * ms  # (B, 1, 1): the points differ by rounding only
        var = torch.where(flat, ms, var)  # scaled by the RMS, which never amplifies
        c = torch.where(flat if mask is None else flat & mask.unsqueeze(-1), 0.0, c)  # equal points stay equal
        return self.weight * c * torch.rsqrt(var + self.eps) + self.bias + self.mean_gain * mu

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.width})"
