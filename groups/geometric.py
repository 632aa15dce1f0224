"""Symmetry groups of images: bounded ``h x w`` grids and ``m x m`` tori.

Pixels are flattened row-major: pixel ``(r, c)`` of an ``h x w`` image is point ``r * w + c``, so
``act_axes(g, image, (0, 1))`` moves an image by ``g``.

Rotation direction (tested): the rotation generator of :func:`grid_rotations` moves data exactly like
``numpy.rot90(image)`` (``k = 1``, counter-clockwise when row 0 is drawn at the top), i.e. the pixel
``(r, c)`` goes to ``(w - 1 - c, r)``. The reflection of :func:`grid_dihedral` is ``numpy.fliplr``.
On a torus the rotation of :func:`p4` turns the same way about pixel ``(0, 0)``:
``(r, c) -> (-c, r) (mod m)``.

Examples
--------
>>> import numpy as np
>>> from asen.groups import act_axes
>>> img = np.arange(9).reshape(3, 3)
>>> g = grid_rotations(3).generators[0]
>>> bool((act_axes(g, img, (0, 1)) == np.rot90(img)).all())
True
"""

from __future__ import annotations

import numpy as np

from .catalogue import check_int
from .group import PermGroup

__all__ = ["grid_dihedral", "grid_flips", "grid_rotations", "p4", "p4m", "torus_translations"]


def _pixel_map(h: int, w: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The permutation sending pixel ``(r, c)`` to ``(rows[r, c], cols[r, c])``."""
    return (rows * w + cols).reshape(-1).astype(np.int64)


def _nontrivial(gens: list[np.ndarray]) -> list[np.ndarray]:
    return [g for g in gens if not np.array_equal(g, np.arange(g.size))]


def _square_side(h: object, w: object, what: str) -> int:
    h = check_int(h, "h")
    w = h if w is None else check_int(w, "w")
    if h != w:
        raise ValueError(
            f"{what} needs a square image (a 90 degree turn maps an h x w image to w x h), got h={h}, w={w}; "
            f"for h != w use grid_flips({h},{w}), the flips and half-turn"
        )
    return h


def torus_translations(h: int, w: int) -> PermGroup:
    """Translations ``Z_h x Z_w`` of an ``h x w`` torus (cyclic shifts of rows and columns).

    ``(r, c) -> (r + s, c + t) (mod h, w)``; regular, ``|G| = h w``.

    Examples
    --------
    >>> G = torus_translations(3, 4); G.degree, G.order(), G.is_transitive()
    (12, 12, True)
    """
    h, w = check_int(h, "h"), check_int(w, "w")
    r, c = np.indices((h, w))
    gens = _nontrivial([_pixel_map(h, w, (r + 1) % h, c), _pixel_map(h, w, r, (c + 1) % w)])
    return PermGroup(gens, h * w, order=h * w, name=f"torus_translations({h},{w})")


def grid_rotations(h: int, w: int | None = None) -> PermGroup:
    """``C_4``: rotations by multiples of 90 degrees about the centre of an ``h x h`` image.

    Generator ``(r, c) -> (h - 1 - c, r)``, i.e. ``numpy.rot90``; ``|C_4| = 4`` for ``h >= 2``.

    Parameters
    ----------
    h, w
        Image height and width; ``w`` defaults to ``h``. A ``ValueError`` is raised for ``h != w``
        (use :func:`grid_flips`, whose half-turn is the only rotation of a non-square image).

    Examples
    --------
    >>> grid_rotations(4).generators[0].reshape(4, 4)[0].tolist()   # the top row goes to the left column
    [12, 8, 4, 0]
    """
    m = _square_side(h, w, "grid_rotations")
    r, c = np.indices((m, m))
    gens = _nontrivial([_pixel_map(m, m, m - 1 - c, r)])
    return PermGroup(gens, m * m, order=4 if m >= 2 else 1, name=f"grid_rotations({m},{m})")


def grid_dihedral(h: int, w: int | None = None) -> PermGroup:
    """``D_4``: the eight rotations and reflections of an ``h x h`` image.

    ``D_4 = <rot90, fliplr>``, rotation ``(r, c) -> (h - 1 - c, r)``, reflection
    ``(r, c) -> (r, h - 1 - c)``; ``|D_4| = 8`` for ``h >= 2``. ``w`` defaults to ``h``; ``h != w``
    raises ``ValueError`` (see :func:`grid_flips`).

    Examples
    --------
    >>> grid_dihedral(3).order()
    8
    """
    m = _square_side(h, w, "grid_dihedral")
    r, c = np.indices((m, m))
    gens = _nontrivial([_pixel_map(m, m, m - 1 - c, r), _pixel_map(m, m, r, m - 1 - c)])
    return PermGroup(gens, m * m, order=8 if m >= 2 else 1, name=f"grid_dihedral({m},{m})")


def grid_flips(h: int, w: int) -> PermGroup:
    """``D_2 = C_2 x C_2``: upside-down flip, mirror flip and half-turn of an ``h x w`` image.

    ``<flipud, fliplr>``: ``(r, c) -> (h - 1 - r, c)`` and ``(r, c) -> (r, w - 1 - c)``;
    ``|G| = 4`` when ``h, w >= 2`` (a side of length 1 has a trivial flip).

    Examples
    --------
    >>> grid_flips(2, 3).order(), grid_flips(1, 3).order()
    (4, 2)
    """
    h, w = check_int(h, "h"), check_int(w, "w")
    r, c = np.indices((h, w))
    gens = _nontrivial([_pixel_map(h, w, h - 1 - r, c), _pixel_map(h, w, r, w - 1 - c)])
    order = (2 if h >= 2 else 1) * (2 if w >= 2 else 1)
    return PermGroup(gens, h * w, order=order, name=f"grid_flips({h},{w})")


def _torus_order(m: int, point_group_order: int) -> int:
    # the point group (rotations about a pixel) acts faithfully on Z_m^2 iff -1 != 1 (mod m), i.e. m >= 3;
    # for m = 2 rotation by 90 degrees is the transpose and reflections are trivial; m = 1 is one pixel
    if m >= 3:
        return point_group_order * m * m
    return 8 if m == 2 else 1


def p4(m: int) -> PermGroup:
    """Wallpaper group ``p4`` on an ``m x m`` torus: translations and 90 degree rotations.

    ``Z_m^2 x| C_4`` with rotation ``(r, c) -> (-c, r) (mod m)`` about pixel ``(0, 0)``;
    ``|p4| = 4 m^2`` for ``m >= 3``, 8 for ``m = 2`` (the rotation degenerates to a transpose), 1 for
    ``m = 1``. Not 2-closed exactly for ``m = 3, 4``.

    Examples
    --------
    >>> p4(3).order(), p4(8).order()
    (36, 256)
    """
    m = check_int(m, "m")
    r, c = np.indices((m, m))
    gens = _nontrivial(
        [_pixel_map(m, m, (r + 1) % m, c), _pixel_map(m, m, r, (c + 1) % m), _pixel_map(m, m, (-c) % m, r)]
    )
    return PermGroup(gens, m * m, order=_torus_order(m, 4), name=f"p4({m})")


def p4m(m: int) -> PermGroup:
    """Wallpaper group ``p4m`` on an ``m x m`` torus: translations, 90 degree rotations, reflections.

    ``Z_m^2 x| D_4``, reflection ``(r, c) -> (r, -c) (mod m)``; ``|p4m| = 8 m^2`` for ``m >= 3``,
    8 for ``m = 2`` (equal to ``p4(2)``), 1 for ``m = 1``.

    Examples
    --------
    >>> p4m(3).order(), p4m(2) == p4(2)
    (72, True)
    """
    m = check_int(m, "m")
    r, c = np.indices((m, m))
    gens = _nontrivial(
        [
            _pixel_map(m, m, (r + 1) % m, c),
            _pixel_map(m, m, r, (c + 1) % m),
            _pixel_map(m, m, (-c) % m, r),
            _pixel_map(m, m, r, (-c) % m),
        ]
    )
    return PermGroup(gens, m * m, order=_torus_order(m, 8), name=f"p4m({m})")
