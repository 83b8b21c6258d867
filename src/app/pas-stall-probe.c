/* A GSource of the highest priority sees both ends of an iteration: its
 * check() runs right after poll() returns, its prepare() at the start of the
 * next iteration, before poll() again. What lies between is the thread's
 * work: dispatching every ready source, then preparing the next round —
 * less the time the thread was ready to run but the CPU was busy with
 * others (the kernel's run-queue delay, /proc/thread-self/schedstat): that
 * is the machine's load, not our code. Time blocked in a read or a write
 * does count. */
#define G_LOG_DOMAIN "pas-stall"

#include "config.h"

#include <fcntl.h>
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
  gint64    waited_at;   /* the run-queue delay then, µs */
  int       schedstat;   /* this thread's, or -1 */
  guint     stalls;
  gint64    longest;
  guint64   iterations;
};

/* Microseconds this thread has waited for a CPU while ready to run. */
static gint64
run_queue_delay (PasStallProbe *self)
{
  char buffer[128];
  ssize_t n;

  if (self->schedstat < 0 || (n = pread (self->schedstat, buffer, sizeof buffer - 1, 0)) <= 0)
    return 0;
  buffer[n] = '\0';
  /* "cpu-time-ns run-delay-ns timeslices" */
  {
    char *end = NULL;

    g_ascii_strtoull (buffer, &end, 10);
    return (gint64) (g_ascii_strtoull (end, NULL, 10) / 1000);
  }
}

static gboolean
probe_prepare (GSource *source,
               gint    *timeout)
{
  PasStallProbe *self = ((ProbeSource *) source)->probe;

  *timeout = -1;
  if (self->woke_at != 0)
    {
      gint64 worked = g_get_monotonic_time () - self->woke_at - (run_queue_delay (self) - self->waited_at);

      self->iterations++;
      self->longest = MAX (self->longest, worked);
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
  self->waited_at = run_queue_delay (self);
  return FALSE;
}

static gboolean
probe_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     data)
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
