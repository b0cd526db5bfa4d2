"""minikctl's own commands (tree, map, fault, clock, state), built on Typer and rich.

kubectl's verbs keep the pflag-compatible parser (cli/flags.py); these commands have no kubectl
counterpart to stay byte-compatible with, so they use Typer for parsing, help and completion and rich
for pictures. Nothing here is imported unless one of these commands runs.
"""
