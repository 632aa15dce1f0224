"""Command-line interface: ``asen group``, ``asen aut``, ``asen break``, ``asen certify``, ``asen verify``."""
