# fib.py — the same program as fib.ha, for the ratio in bench/run.sh.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fib(32))
