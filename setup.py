"""The one thing pyproject.toml cannot say: the optional C extension of the near-duplicate index.

`optional=True`: with no C compiler the install still succeeds, and
storage/neardup.py uses its numpy code instead (slower, same answers).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "storage._fastdup",
            ["storage/_fastdup.c"],
            optional=True,
            extra_compile_args=["-O2", "-std=c11", "-Wall"],
        )
    ]
)
