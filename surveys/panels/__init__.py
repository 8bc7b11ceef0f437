"""Panel selection from the portal: pools of volunteers, quotas proposed from
the register, LEXIMIN runs as jobs, stored results, verification and exports.

The algorithm itself is `surveys.sortition` (plain data in, plain data out);
this package keeps the inputs and the result of each selection so that anyone
can run it again and get the same panel.
"""
