/* A GSource of the highest priority sees both ends of an iteration: its
 * check() runs right after poll() returns, its prepare() at the start of the
 * next iteration, before poll() again. What lies between is the thread's
 * work: dispatching every ready source, then preparing the next round.
 *
 * What counts is what the thread did, not what the machine did to it. If
 * the thread never went to sleep in the iteration (no voluntary context
 * switch: no blocking read, write, lock or page-in), its cost is its CPU
 * time (/proc/thread-self/schedstat); waiting for a busy CPU, or for a
 * hypervisor that ran another guest, is the machine's load. If it did
 * sleep, the cost is the wall-clock time less the run-queue delay: time
 * blocked in a read or a write counts. */
#define G_LOG_DOMAIN "pas-stall"
#define _GNU_SOURCE   /* RUSAGE_THREAD */

#include "config.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <unistd.h>

#include "pas-stall-probe.h"

typedef struct
{
  GSource        source;
  PasStallProbe *probe;
} ProbeSource;

struct _PasStallProbe
{
  GSource  *source;
  gint64    threshold;   /* µs */
  gboolean  log;
  gint64    woke_at;     /* when poll() last returned; 0 before the first */
  gint64    cpu_at;      /* the thread's CPU time then, µs */
  gint64    waited_at;   /* its run-queue delay then, µs */
  long      slept_at;    /* its voluntary context switches then */
  int       schedstat;   /* this thread's, or -1 */
  guint     stalls;
  gint64    longest;
  guint64   iterations;
  /* How the longest iteration's wall-clock time was spent, for reports. */
  gint64    longest_wall;
  gint64    longest_cpu;
  gint64    longest_waited;
  long      longest_sleeps;
};

/* This thread's CPU time and run-queue delay so far, in µs. */
static void
read_schedstat (PasStallProbe *self,
                gint64        *cpu,
                gint64        *waited)
{
  char buffer[128];
  ssize_t n;
  char *end = NULL;

  *cpu = *waited = 0;
  if (self->schedstat < 0 || (n = pread (self->schedstat, buffer, sizeof buffer - 1, 0)) <= 0)
    return;
  buffer[n] = '\0';
  /* "cpu-time-ns run-delay-ns timeslices" */
  *cpu = (gint64) (g_ascii_strtoull (buffer, &end, 10) / 1000);
  *waited = (gint64) (g_ascii_strtoull (end, NULL, 10) / 1000);
}

static long
voluntary_switches (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_THREAD, &usage) != 0)
    return 0;
  return usage.ru_nvcsw;
}

static gboolean
probe_prepare (GSource *source,
               gint    *timeout)
{
  PasStallProbe *self = ((ProbeSource *) source)->probe;

  *timeout = -1;
  if (self->woke_at != 0)
    {
      gint64 wall = g_get_monotonic_time () - self->woke_at;
      gint64 cpu, waited, worked;
      long sleeps = voluntary_switches () - self->slept_at;

      read_schedstat (self, &cpu, &waited);
      cpu -= self->cpu_at;
      waited -= self->waited_at;
      worked = (sleeps > 0 || self->schedstat < 0) ? wall - waited : MIN (cpu, wall);
      self->iterations++;
      if (worked > self->longest)
        {
          self->longest = worked;
          self->longest_wall = wall;
          self->longest_cpu = cpu;
          self->longest_waited = waited;
          self->longest_sleeps = sleeps;
        }
      if (worked > self->threshold)
        {
          self->stalls++;
          if (self->log)
            /* The monotonic clock, to find the iteration in a profile
             * (perf record --clockid monotonic). */
            g_message ("main loop iteration took %" G_GINT64_FORMAT " ms (from %.6f s, monotonic)",
                       worked / 1000, (double) self->woke_at / G_USEC_PER_SEC);
        }
      self->woke_at = 0;
    }
  return FALSE;
}

static gboolean
probe_check (GSource *source)
{
  PasStallProbe *self = ((ProbeSource *) source)->probe;

  self->woke_at = g_get_monotonic_time ();
  read_schedstat (self, &self->cpu_at, &self->waited_at);
  self->slept_at = voluntary_switches ();
  return FALSE;
}

static gboolean
probe_dispatch (GSource    *source,
                GSourceFunc callback,
                gpointer    data)
{
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs probe_funcs = { probe_prepare, probe_check, probe_dispatch, NULL, NULL, NULL };

PasStallProbe *
pas_stall_probe_new (GMainContext *context,
                     guint         threshold_ms,
                     gboolean      log)
{
  PasStallProbe *self = g_new0 (PasStallProbe, 1);

  self->threshold = (gint64) threshold_ms * 1000;
  /* The calling thread is the one measured. */
  self->schedstat = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  self->log = log;
  self->source = g_source_new (&probe_funcs, sizeof (ProbeSource));
  ((ProbeSource *) self->source)->probe = self;
  g_source_set_priority (self->source, G_PRIORITY_HIGH - 100);
  g_source_set_name (self->source, "[passerelle] stall probe");
  g_source_attach (self->source, context);
  return self;
}

void
pas_stall_probe_free (PasStallProbe *self)
{
  g_source_destroy (self->source);
  g_source_unref (self->source);
  if (self->schedstat >= 0)
    close (self->schedstat);
  g_free (self);
}

void
pas_stall_probe_reset (PasStallProbe *self)
{
  self->stalls = 0;
  self->longest = 0;
  self->iterations = 0;
}

char *
pas_stall_probe_describe_longest (PasStallProbe *self)
{
  return g_strdup_printf ("%.1f ms of wall-clock time, %.1f ms on a CPU, %.1f ms waiting for one, "
                          "%ld sleeps", self->longest_wall / 1000.0, self->longest_cpu / 1000.0,
                          self->longest_waited / 1000.0, self->longest_sleeps);
}

guint
pas_stall_probe_get_stalls (PasStallProbe *self)
{
  return self->stalls;
}

gint64
pas_stall_probe_get_longest (PasStallProbe *self)
{
  return self->longest;
}

guint64
pas_stall_probe_get_iterations (PasStallProbe *self)
{
  return self->iterations;
}
