/* PasStallProbe counts what the measured thread did in an iteration: its
 * CPU work and its blocking waits, not the time other threads took its CPU
 * (the bound the window tests hold the UI thread to rests on this). */
#include "config.h"

#include <time.h>

#include "pas-stall-probe.h"

static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

/* Works on the CPU for the given time, however long the wall clock takes. */
static void
spin_cpu (gint64 us)
{
  gint64 until = thread_cpu_us () + us;
  volatile guint64 sink = 0;

  while (thread_cpu_us () < until)
    sink++;
}

typedef enum { SPIN, SLEEP } Work;

typedef struct
{
  Work     work;
  gint64   us;
  gboolean done;
} Job;

static gboolean
job_cb (gpointer data)
{
  Job *job = data;

  if (job->work == SPIN)
    spin_cpu (job->us);
  else
    g_usleep (job->us);
  job->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs one job in its own iteration, measured by a fresh probe. */
static PasStallProbe *
measure (Work   work,
         gint64 us)
{
  PasStallProbe *probe = pas_stall_probe_new (NULL, 50, FALSE);
  Job job = { work, us, FALSE };

  /* An iteration first, so the probe has seen a poll() return. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_idle_add (job_cb, &job);
  while (!job.done)
    g_main_context_iteration (NULL, TRUE);
  g_main_context_iteration (NULL, FALSE);
  return probe;
}

static void
test_cpu_work_counts (void)
{
  g_autoptr(PasStallProbe) probe = measure (SPIN, 80000);

  g_assert_cmpuint (pas_stall_probe_get_stalls (probe), ==, 1);
  g_assert_cmpint (pas_stall_probe_get_longest (probe), >=, 80000);
}

static void
test_blocking_counts (void)
{
  g_autoptr(PasStallProbe) probe = measure (SLEEP, 80000);
  g_autofree char *described = pas_stall_probe_describe_longest (probe);

  g_test_message ("%s", described);
  g_assert_cmpuint (pas_stall_probe_get_stalls (probe), ==, 1);
  g_assert_cmpint (pas_stall_probe_get_longest (probe), >=, 80000);
}

static void
test_short_work_is_no_stall (void)
{
  g_autoptr(PasStallProbe) probe = measure (SPIN, 10000);

  g_assert_cmpuint (pas_stall_probe_get_stalls (probe), ==, 0);
  g_assert_cmpint (pas_stall_probe_get_longest (probe), >=, 10000);
}

static gboolean stop_spinning;

static gpointer
spinner (gpointer data)
{
  volatile guint64 sink = 0;

  while (!g_atomic_int_get (&stop_spinning))
    sink++;
  return NULL;
}

/* With more busy threads than CPUs, 30 ms of work takes longer than that on
 * the wall clock; the probe counts the 30 ms. */
static void
test_busy_machine_is_not_a_stall (void)
{
  guint n = g_get_num_processors () * 3;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(PasStallProbe) probe = NULL;
  g_autofree char *described = NULL;
  gint64 started;
  gint64 wall;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (threads, g_thread_new ("spinner", spinner, NULL));
  started = g_get_monotonic_time ();
  probe = measure (SPIN, 30000);
  wall = g_get_monotonic_time () - started;
  g_atomic_int_set (&stop_spinning, TRUE);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  described = pas_stall_probe_describe_longest (probe);
  g_test_message ("%u spinning threads; the job's iteration: %s; %.1f ms in all", n, described, wall / 1000.0);
  /* Shared with n other threads, the job cannot have had its CPU alone. */
  g_assert_cmpint (wall, >, 60000);
  g_assert_cmpint (pas_stall_probe_get_longest (probe), >=, 30000);
  g_assert_cmpint (pas_stall_probe_get_longest (probe), <, 50000);
  g_assert_cmpuint (pas_stall_probe_get_stalls (probe), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stall-probe/cpu-work-counts", test_cpu_work_counts);
  g_test_add_func ("/stall-probe/blocking-counts", test_blocking_counts);
  g_test_add_func ("/stall-probe/short-work-is-no-stall", test_short_work_is_no_stall);
  g_test_add_func ("/stall-probe/busy-machine-is-not-a-stall", test_busy_machine_is_not_a_stall);
  return g_test_run ();
}
