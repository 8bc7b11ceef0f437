"""Maximin: the lottery whose lowest selection probability is as high as possible.

The first stage of the LEXIMIN column generation in `leximin` (same
reference: Flanigan et al., Nature 2021). It stops once the lowest
probability is optimal; the others are whatever the LP's optimal vertex
gives, which is what the Sortition Foundation's `maximin` offers too.
"""

from surveys.sortition.leximin import find_distribution


def find_distribution_maximin(pool, size, *, progress=None):
    return find_distribution(pool, size, stages=1, progress=progress)
