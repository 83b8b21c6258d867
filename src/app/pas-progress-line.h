#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PAS_TYPE_PROGRESS_LINE (pas_progress_line_get_type ())

G_DECLARE_FINAL_TYPE (PasProgressLine, pas_progress_line, PAS, PROGRESS_LINE, GtkWidget)

/* A progress bar, styled as the theme's, whose fraction changes by
 * redrawing only. A GtkProgressBar lays the window out again at every
 * change, and on X11 GDK asks the server for the monitor's work area each
 * time: ten times a second per running transfer, round trips that made the
 * UI thread wait on a busy X server. */
GtkWidget *pas_progress_line_new          (void);
void       pas_progress_line_set_fraction (PasProgressLine *self,
                                           double           fraction);
double     pas_progress_line_get_fraction (PasProgressLine *self);

G_END_DECLS
