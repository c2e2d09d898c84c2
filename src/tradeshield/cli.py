"""The ``tradeshield`` command. Each group is a thin shell over service functions.

Errors a user can fix (bad arguments, unknown ids, refused actions) end with exit code 2 and
one readable line on stderr.
"""

from __future__ import annotations

import sys

import click

from tradeshield import __version__
from tradeshield.commands import admin_commands
from tradeshield.demo.cli import demo_command
from tradeshield.errors import DomainError
from tradeshield.forensics.cli import inspect_command
from tradeshield.forensics.lab_cli import forensics_group
from tradeshield.imports.cli import import_command
from tradeshield.integrity.cli import integrity_command
from tradeshield.returns.cli import evidence_group, returns_group
from tradeshield.rules.cli import rules_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tradeshield")
def cli() -> None:
    """TradeShield: after-sales trust for e-commerce."""


for command in admin_commands():
    cli.add_command(command)
cli.add_command(import_command)
cli.add_command(inspect_command)
cli.add_command(forensics_group)


cli.add_command(demo_command)
cli.add_command(integrity_command)
cli.add_command(returns_group)
cli.add_command(evidence_group)
cli.add_command(rules_group)


def main(argv: list[str] | None = None) -> None:
    try:
        status = cli.main(args=argv, prog_name="tradeshield", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.Abort:
        click.echo("tradeshield: aborted", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        where = f" {exc.ctx.command_path}" if exc.ctx is not None else ""
        message = exc.format_message().replace("\n", " ")
        click.echo(f"tradeshield{where.removeprefix(' tradeshield')}: error: {message}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"tradeshield: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code if exc.exit_code != 1 else 2)
    except DomainError as exc:
        click.echo(f"tradeshield: error: {exc.detail}", err=True)
        sys.exit(2)
    # with standalone_mode off, ctx.exit(code) comes back as the return value
    sys.exit(status if isinstance(status, int) else 0)
