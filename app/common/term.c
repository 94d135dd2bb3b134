/* SPDX-License-Identifier: BSD-3-Clause */
/* Progress lines of the CLIs: in place on a terminal, one per line else. */
#include <unistd.h>

#include "common/term.h"

int
cli_term_stderr_tty(void)
{
	return isatty(STDERR_FILENO) != 0;
}

uint64_t
cli_term_interval_ns(int given, uint64_t given_ns, int tty)
{
	if (given)
		return given_ns;
	return tty ? 1000000000ull : 0;
}

const char *
cli_term_line_start(int tty)
{
	return tty ? "\r" : "";
}

const char *
cli_term_line_end(int tty)
{
	return tty ? "\033[K" : "\n";
}

void
cli_term_done(FILE *f, int tty, int written)
{
	if (tty && written)
		fputc('\n', f);
}
