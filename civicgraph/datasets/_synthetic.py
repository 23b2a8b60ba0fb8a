"""placeholder"""


def synthetic(*a, **k):
    raise NotImplementedError
