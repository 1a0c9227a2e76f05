"""sendreport: reproducible quarterly SEND reporting for English local authorities.

Data flows one way: load → validate → compute → render → publish.
"""

__version__ = "0.1.0"
