/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef CLI_TERM_H
#define CLI_TERM_H

/*
 * Progress lines on stderr: on a terminal one line rewritten in place
 * ("\r" before, clear to the end of line after), elsewhere one line per
 * update; by default every second on a terminal and not at all
 * elsewhere.
 */

#include <stdint.h>
#include <stdio.h>

/* 1 if stderr is a terminal. */
int cli_term_stderr_tty(void);

/* The progress period in ns: @p given_ns if @p given, else 1 s on a
 * terminal and 0 (no progress line) elsewhere. */
uint64_t cli_term_interval_ns(int given, uint64_t given_ns, int tty);

/* What goes before and after the text of a progress line. */
const char *cli_term_line_start(int tty);
const char *cli_term_line_end(int tty);

/* After the last progress line: on a terminal, end the line rewritten
 * in place (when at least one was written). */
void cli_term_done(FILE *f, int tty, int written);

#endif /* CLI_TERM_H */
