/*
 * The progress of an import for the operator (see feeds.h): a bar redrawn in place on a
 * terminal, plain log lines every few seconds otherwise. Counts and rates only: never a
 * value from the file.
 */
#include "feeds/feeds.h"

#include "util/log.h"

#include <stdio.h>
#include <time.h>

#define TTY_INTERVAL 0.2
#define LOG_INTERVAL 10.0

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void feed_progress_init(struct feed_progress *p, const char *label, bool tty)
{
	p->label = label;
	p->tty = tty;
	p->started = p->last_shown = now();
}

static void draw_bar(const struct feed_progress *p, long rows, double rate, double fraction,
                     double left, bool last)
{
	enum { WIDTH = 24 };
	char bar[WIDTH + 1];
	int filled = (int)(fraction * WIDTH + 0.5);
	for (int i = 0; i < WIDTH; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[WIDTH] = '\0';
	fprintf(stderr, "\r%.40s [%s] %3.0f%% %ld rows, %.0f rows/s", p->label, bar, fraction * 100,
	        rows, rate);
	if (!last && left >= 0)
		fprintf(stderr, ", %.0f s left   ", left);
	else
		fprintf(stderr, "            ");
	if (last)
		fputc('\n', stderr);
	fflush(stderr);
}

void feed_progress_show(void *arg, long rows, uint64_t bytes, uint64_t total_bytes, bool last)
{
	struct feed_progress *p = arg;
	double t = now();
	if (!last && t - p->last_shown < (p->tty ? TTY_INTERVAL : LOG_INTERVAL))
		return;
	double elapsed = t - p->started;
	double rate = elapsed > 0 ? rows / elapsed : 0;
	double fraction = total_bytes ? (double)bytes / (double)total_bytes : 0;
	if (last)
		fraction = 1;
	double left = fraction > 0 ? elapsed / fraction - elapsed : -1;
	if (p->tty)
		draw_bar(p, rows, rate, fraction, left, last);
	else if (!last || elapsed >= LOG_INTERVAL)
		log_info("import %s: %ld rows, %.0f rows/s, %.0f%%%s", p->label, rows, rate,
		         fraction * 100, last ? ", read" : "");
	p->last_shown = t;
}
