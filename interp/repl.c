/*
** repl.c — the read-eval-print loop.
**
** Rank 0 reads one complete statement (libedit when a terminal is there,
** plain lines otherwise), broadcasts its text, and every rank runs it with
** hi_run_source(..., interactive=1).  A NULL broadcast (EOF) ends the loop
** on every rank.
**
** Under mpirun rank 0's stdin is a pipe fed by mpirun and rank 0 is not in
** the terminal's foreground group (see reference/toolchain.md).  What works:
** ignore SIGTTOU, give libedit /dev/tty for terminal control and output,
** and feed it the keystrokes mpirun forwards on stdin (EL_GETCFN).  Rank 0
** then writes prompts, results and tracebacks to the tty itself, so nothing
** travels through mpirun's asynchronous forwarding and nothing interleaves.
*/
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include "ha.h"
#include "interp.h"
#include "eval.h"
#include "spmd.h"
#include "repl.h"

#define HISTORY_FILE ".ha_history"
#define HISTORY_SIZE 1000

/* ---- is there a terminal? ---- */

/* Is fd 0 of process pid a terminal?  Opening /proc/PID/fd/0 reopens the
** same file; O_NONBLOCK keeps a pipe from blocking the open. */
static int parent_stdin_is_tty(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/fd/0", (int)pid);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	int t = isatty(fd);
	close(fd);
	return t;
}

static int under_mpirun(void)
{
	return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK");
}

int hi_repl_terminal(void)
{
	ha_comm *w = ha_comm_world();
	int t = 0;
	if (w->rank == 0) {
		if (isatty(0))
			t = 1;
		else if (under_mpirun() && parent_stdin_is_tty(getppid())) {
			/* mpirun reads the terminal and forwards it to our stdin;
			** we still need /dev/tty for line editing. */
			int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
			if (fd >= 0) {
				t = 1;
				close(fd);
			}
		}
	}
	if (w->size > 1)
		ha_bcast(&t, sizeof t, 0, w, "repl");
	return t;
}

/* ---- rank 0's terminal session ---- */

static EditLine *el;
static History *hist;
static char *hist_path;
static const char *cur_prompt = ">>> ";
static int tty_fd = -1;
static struct termios saved_tio;
static int have_saved_tio;
static int interrupted;
static int saved_out = -1, saved_err = -1;

static char *prompt_fn(EditLine *e)
{
	(void)e;
	return (char *)cur_prompt;
}

/* Keystrokes come from stdin (mpirun's pipe, or the terminal itself when
** run without mpirun), as UTF-8 decoded to one wide character. */
static int read_byte(unsigned char *b)
{
	for (;;) {
		ssize_t r = read(0, b, 1);
		if (r == 1)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static int getc_fn(EditLine *e, wchar_t *wc)
{
	unsigned char b[4];
	int r, need;
	(void)e;
	if ((r = read_byte(&b[0])) <= 0)
		return r;
	if (b[0] < 0x80) {
		*wc = b[0];
		return 1;
	}
	need = b[0] >= 0xf0 ? 3 : b[0] >= 0xe0 ? 2 : b[0] >= 0xc0 ? 1 : 0;
	for (int i = 1; i <= need; i++)
		if (read_byte(&b[i]) <= 0)
			return -1;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	if (mbrtowc(wc, (char *)b, (size_t)need + 1, &st) > (size_t)need + 1)
		*wc = L'?';
	return 1;
}

/* Ctrl-C (byte 0x03 in raw mode): drop what was typed, fresh prompt. */
static unsigned char on_interrupt(EditLine *e, int ch)
{
	(void)e;
	(void)ch;
	interrupted = 1;
	return CC_NEWLINE;
}

/* ---- completion ---- */

static int is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c >= 0x80;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Only walk a dotted prefix through modules: looking up a module member
** cannot communicate, while an array attribute (x.T ...) might, and
** completion runs on rank 0 alone. */
static int safe_prefix(const char *dotted)
{
	char *s = strdup(dotted), *save = NULL;
	hi_val v = hi_none();
	int ok = 1, first = 1;
	if (!s)
		return 0;
	for (char *part = strtok_r(s, ".", &save); part && ok; part = strtok_r(NULL, ".", &save)) {
		hi_val next;
		if (first) {
			if (hi_dict_get_str(hi_S.globals, part, &next) != 1
			    && hi_dict_get_str(hi_S.builtins, part, &next) != 1)
				ok = 0;
			first = 0;
		} else if (v.kind != HI_MODULE
		           || hi_dict_get_str(hi_module_dict(v), part, &next) != 1) {
			ok = 0;
		}
		if (ok) {
			/* hi_dict_get_str returns a new reference */
			hi_decref(v);
			v = next;
		}
	}
	hi_decref(v);
	free(s);
	return ok && !first;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static unsigned char on_complete(EditLine *e, int ch)
{
	(void)ch;
	const LineInfo *li = el_line(e);
	const char *end = li->cursor, *start = end;
	while (start > li->buffer && is_name_char((unsigned char)start[-1]))
		start--;
	/* At the start of a line or after blanks, TAB indents. */
	if (start == end) {
		el_insertstr(e, "    ");
		return CC_REFRESH;
	}
	size_t wlen = (size_t)(end - start);
	char *word = malloc(wlen + 1);
	if (!word)
		return CC_ERROR;
	memcpy(word, start, wlen);
	word[wlen] = 0;

	char **names = NULL, *dot = strrchr(word, '.'), *part = word;
	int n = 0;
	if (dot) {
		*dot = 0;
		part = dot + 1;
		if (safe_prefix(word))
			n = hi_attr_names(word, &names);
		hi_exc_clear();
	} else {
		n = hi_global_names(&names);
	}
	if (n < 0)
		n = 0;
	size_t plen = strlen(part);
	int m = 0;
	for (int i = 0; i < n; i++)
		if (strncmp(names[i], part, plen) == 0 && (plen > 0 || names[i][0] != '_'))
			names[m++] = names[i];
		else
			free(names[i]);
	qsort(names, (size_t)m, sizeof *names, cmp_str);
	/* drop duplicates */
	int u = 0;
	for (int i = 0; i < m; i++)
		if (u == 0 || strcmp(names[u - 1], names[i]) != 0)
			names[u++] = names[i];
		else
			free(names[i]);
	m = u;

	unsigned char rc = CC_ERROR;
	if (m > 0) {
		size_t common = strlen(names[0]);
		for (int i = 1; i < m; i++) {
			size_t k = 0;
			while (k < common && names[i][k] == names[0][k])
				k++;
			common = k;
		}
		if (common > plen) {
			char *ins = strndup(names[0] + plen, common - plen);
			if (ins && el_insertstr(e, ins) == 0)
				rc = CC_REFRESH;
			free(ins);
		} else if (m > 1) {
			/* Ambiguous: list the candidates under the line. */
			size_t width = 0;
			for (int i = 0; i < m; i++)
				if (strlen(names[i]) > width)
					width = strlen(names[i]);
			int cols = (int)(78 / (width + 2));
			if (cols < 1)
				cols = 1;
			fputc('\n', hi_out_stream);
			for (int i = 0; i < m; i++)
				fprintf(hi_out_stream, "%-*s%s", (int)width + 2, names[i],
				        (i % cols == cols - 1 || i == m - 1) ? "\n" : "");
			fflush(hi_out_stream);
			rc = CC_REDISPLAY;
		}
	}
	free_names(names, m);
	free(word);
	return rc;
}

/* ---- setting up and tearing down the terminal ---- */

static void history_setup(void)
{
	HistEvent ev;
	const char *home = getenv("HOME");
	hist = history_init();
	if (!hist)
		return;
	history(hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(hist, &ev, H_SETUNIQUE, 1);
	if (home && *home) {
		size_t n = strlen(home) + sizeof HISTORY_FILE + 2;
		hist_path = malloc(n);
		if (hist_path) {
			snprintf(hist_path, n, "%s/%s", home, HISTORY_FILE);
			history(hist, &ev, H_LOAD, hist_path);
		}
	}
}

static void history_add(const char *line, size_t n)
{
	HistEvent ev;
	if (!hist)
		return;
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (n == 0)
		return;
	char *s = strndup(line, n);
	if (!s)
		return;
	history(hist, &ev, H_ENTER, s);
	free(s);
}

static void history_save(void)
{
	HistEvent ev;
	if (hist && hist_path)
		history(hist, &ev, H_SAVE, hist_path);
}

static int terminal_open(void)
{
	tty_fd = isatty(0) ? dup(0) : open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (tty_fd < 0)
		return -1;
	/* Rank 0 is a background process under mpirun: changing terminal
	** modes or writing with TOSTOP set would stop it. */
	signal(SIGTTOU, SIG_IGN);
	if (tcgetattr(tty_fd, &saved_tio) == 0)
		have_saved_tio = 1;
	/* Wide characters need a UTF-8 locale for LC_CTYPE (only). */
	if (!setlocale(LC_CTYPE, "") || MB_CUR_MAX == 1)
		setlocale(LC_CTYPE, "C.UTF-8");

	/* Everything rank 0 writes goes straight to the terminal.  The original
	** stdout/stderr (mpirun's pipes) stay open on spare descriptors: when
	** they close, mpirun takes rank 0 for finished and ends its stdin. */
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(tty_fd, 1);
	dup2(tty_fd, 2);
	setvbuf(stdout, NULL, _IOLBF, 0);
	hi_out_stream = stdout;

	FILE *tin = fdopen(dup(tty_fd), "r");
	el = el_init_fd("ha", tin ? tin : stdin, stdout, stderr, tty_fd, 1, 2);
	if (!el) {
		if (tin)
			fclose(tin);
		return -1;
	}
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt_fn);
	el_set(el, EL_GETCFN, getc_fn);
	/* In edit mode Ctrl-C must reach us as a byte, not as SIGINT to mpirun. */
	el_set(el, EL_SETTY, "-d", "-isig", NULL);
	el_set(el, EL_ADDFN, "ha-interrupt", "discard the line", on_interrupt);
	el_set(el, EL_BIND, "^C", "ha-interrupt", NULL);
	el_set(el, EL_ADDFN, "ha-complete", "complete a name", on_complete);
	el_set(el, EL_BIND, "^I", "ha-complete", NULL);
	history_setup();
	if (hist)
		el_set(el, EL_HIST, history, hist);
	return 0;
}

static void terminal_close(void)
{
	if (el) {
		FILE *tin = NULL;
		el_get(el, EL_GETFP, 0, &tin);
		el_end(el);
		el = NULL;
		if (tin && tin != stdin)
			fclose(tin);
	}
	history_save();
	if (hist) {
		history_end(hist);
		hist = NULL;
	}
	free(hist_path);
	hist_path = NULL;
	if (have_saved_tio)
		tcsetattr(tty_fd, TCSANOW, &saved_tio);
	fflush(stdout);
	fflush(stderr);
	if (saved_out >= 0) {
		dup2(saved_out, 1);
		close(saved_out);
	}
	if (saved_err >= 0) {
		dup2(saved_err, 2);
		close(saved_err);
	}
	saved_out = saved_err = -1;
	if (tty_fd >= 0)
		close(tty_fd);
	tty_fd = -1;
}

/* ---- reading one statement (rank 0) ---- */

typedef struct line_reader {
	int terminal;
	char *buf;          /* plain mode: getline buffer */
	size_t cap;
} line_reader;

/* One physical line including its newline, or NULL at EOF.  The result is
** malloc'd.  *intr is set when Ctrl-C discarded the line. */
static char *read_line(line_reader *lr, const char *prompt, int *intr)
{
	*intr = 0;
	if (lr->terminal) {
		int count = 0;
		cur_prompt = prompt;
		interrupted = 0;
		const char *s = el_gets(el, &count);
		if (interrupted) {
			*intr = 1;
			return NULL;
		}
		if (!s || count <= 0)
			return NULL;
		size_t n = strlen(s);
		char *r = malloc(n + 2);
		if (!r)
			return NULL;
		memcpy(r, s, n);
		if (n == 0 || r[n - 1] != '\n')
			r[n++] = '\n';
		r[n] = 0;
		return r;
	}
	ssize_t n = getline(&lr->buf, &lr->cap, stdin);
	if (n <= 0)
		return NULL;
	char *r = malloc((size_t)n + 2);
	if (!r)
		return NULL;
	memcpy(r, lr->buf, (size_t)n);
	if (r[n - 1] != '\n')
		r[n++] = '\n';
	r[n] = 0;
	return r;
}

static int blank_line(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f')
		s++;
	return *s == '\n' || *s == 0 || *s == '#';
}

/* Does the statement start with a compound-statement keyword?  Then, as in
** Python, it ends only at an empty line. */
static int opens_block(const char *s)
{
	static const char *const kw[] = { "if", "for", "while", "def", "try", "with",
	                                  "class", "async", NULL };
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '@')
		return 1;
	for (int i = 0; kw[i]; i++) {
		size_t k = strlen(kw[i]);
		if (strncmp(s, kw[i], k) == 0 && !(isalnum((unsigned char)s[k]) || s[k] == '_'))
			return 1;
	}
	return 0;
}

static int parse_incomplete(const char *src, size_t n)
{
	hg_syntax_error err;
	memset(&err, 0, sizeof err);
	hg_unit *u = hg_parse(src, n, "<stdin>", &err);
	int inc = u && !u->root && err.incomplete;
	if (!u)
		inc = err.incomplete;
	if (u)
		hg_unit_release(u);
	return inc;
}

static void append(char **buf, size_t *len, const char *s)
{
	size_t k = strlen(s);
	char *p = realloc(*buf, *len + k + 1);
	if (!p)
		return;
	memcpy(p + *len, s, k + 1);
	*buf = p;
	*len += k;
}

/* Read a complete statement.  Returns its text (malloc'd; *n its length),
** or NULL at end of input.  Blank input and Ctrl-C give an empty string. */
static char *read_statement(line_reader *lr, size_t *n, int *eof_next)
{
	char *buf = NULL;
	size_t len = 0;
	int block = 0;
	*n = 0;
	for (;;) {
		int intr;
		char *line = read_line(lr, buf ? "... " : ">>> ", &intr);
		if (intr) {
			fputs("\nKeyboardInterrupt\n", hi_out_stream);
			fflush(hi_out_stream);
			free(buf);
			*n = 0;
			return strdup("");
		}
		if (!line) {
			if (!buf)
				return NULL;
			/* EOF inside a statement: run what was typed, then stop. */
			if (lr->terminal)
				fputc('\n', hi_out_stream);
			*eof_next = 1;
			*n = len;
			return buf;
		}
		if (lr->terminal)
			history_add(line, strlen(line));
		if (!buf && blank_line(line)) {
			free(line);
			return strdup("");
		}
		if (!buf)
			block = opens_block(line);
		int empty = buf && blank_line(line) && strspn(line, " \t\r\f") == strlen(line) - 1;
		append(&buf, &len, line);
		free(line);
		if (!buf)
			return NULL;
		if (block) {
			if (empty)
				break;
			continue;
		}
		if (!parse_incomplete(buf, len))
			break;
	}
	if (lr->terminal)
		history_save();
	*n = len;
	return buf;
}

static void print_banner(void)
{
	int P = ha_comm_world()->size;
	fprintf(hi_out_stream,
	        "ha 0.1.0 \xe2\x80\x94 distributed arrays on %d rank%s (MPI). "
	        "Type help() for help, quit() or Ctrl-D to exit.\n",
	        P, P == 1 ? "" : "s");
	fflush(hi_out_stream);
}

int hi_repl(int terminal, int banner)
{
	ha_comm *w = ha_comm_world();
	line_reader lr = { 0 };
	int eof_next = 0;
	if (w->rank == 0) {
		lr.terminal = terminal && terminal_open() == 0;
		if (terminal && !lr.terminal)
			terminal_close();
		if (banner && lr.terminal)
			print_banner();
	}
	for (;;) {
		char *text = NULL;
		size_t n = 0;
		if (w->rank == 0) {
			/* Blank lines and Ctrl-C need no trip to the other ranks. */
			do {
				free(text);
				text = eof_next ? NULL : read_statement(&lr, &n, &eof_next);
			} while (text && n == 0);
		}
		hi_spmd_bcast_text(&text, &n);
		if (!text)
			break;
		hi_run_source(text, n, "<stdin>", 1);
		hi_out_flush();
		free(text);
		if (hi_quit_requested())
			break;
	}
	if (w->rank == 0) {
		if (lr.terminal) {
			/* Python leaves the cursor on a fresh line after Ctrl-D. */
			if (!hi_quit_requested())
				fputc('\n', hi_out_stream);
			terminal_close();
		}
		free(lr.buf);
	}
	return hi_quit_requested() ? hi_exit_status() : 0;
}
