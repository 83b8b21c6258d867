#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Measures how long a thread works between two waits of its main context
 * (one main-loop iteration): its CPU time, or if it blocked, the time less
 * its waits for a busy CPU. On the UI thread, anything over a frame (16 ms)
 * is a stall the user sees.
 * Create it on the thread it measures. PAS_STALL_MS=N makes the application
 * log every iteration over N ms; tests read the counts. */
typedef struct _PasStallProbe PasStallProbe;

PasStallProbe *pas_stall_probe_new          (GMainContext  *context,
                                             guint          threshold_ms,
                                             gboolean       log);
void           pas_stall_probe_free         (PasStallProbe *self);
void           pas_stall_probe_reset        (PasStallProbe *self);
/* Iterations that worked longer than the threshold since the last reset… */
guint          pas_stall_probe_get_stalls   (PasStallProbe *self);
/* …and the longest one, in microseconds. */
gint64         pas_stall_probe_get_longest  (PasStallProbe *self);
guint64        pas_stall_probe_get_iterations (PasStallProbe *self);
/* How the longest iteration spent its time, in words, for a report. */
char          *pas_stall_probe_describe_longest (PasStallProbe *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasStallProbe, pas_stall_probe_free)

G_END_DECLS
