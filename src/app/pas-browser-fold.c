#define G_LOG_DOMAIN "pas-browser"

#include "config.h"

#include "pas-browser-private.h"

/* Below this width the two panes no longer fit side by side with their
 * names readable: one pane at a time, and a switcher under it. libadwaita
 * 1.2 (Debian 12) has no breakpoints, so the tab decides from its own
 * width, the same way on every libadwaita. */
#define FOLD_BELOW 640
/* Below this, panes show only the name and size columns. */
#define COMPACT_BELOW 1000

static gboolean
wants_compact (PasBrowser *self)
{
  return self->narrow || self->last_width < COMPACT_BELOW;
}

static void
show_panes (PasBrowser *self)
{
  gboolean local = !self->narrow || self->shown_pane == self->local_pane;
  gboolean remote = !self->narrow || self->shown_pane == self->remote_pane;

  gtk_widget_set_visible (GTK_WIDGET (self->local_pane), local);
  gtk_widget_set_visible (GTK_WIDGET (self->remote_pane), remote);
  gtk_widget_set_visible (self->switcher, self->narrow);
  self->compact = wants_compact (self);
  pas_file_pane_set_compact (self->local_pane, self->compact);
  pas_file_pane_set_compact (self->remote_pane, self->compact);
}

/* The layout changes between two frames, never while GTK allocates. */
static gboolean
apply_fold_cb (gpointer data)
{
  PasBrowser *self = data;
  gboolean narrow = self->last_width < FOLD_BELOW;

  self->fold_source = 0;
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      /* Folding keeps the pane in use. */
      self->shown_pane = self->active_pane;
      gtk_toggle_button_set_active (self->shown_pane == self->local_pane ? self->local_switch : self->remote_switch,
                                    TRUE);
      show_panes (self);
    }
  else if (wants_compact (self) != self->compact)
    show_panes (self);
  return G_SOURCE_REMOVE;
}

static void
switch_toggled_cb (GtkToggleButton *button,
                   PasBrowser      *self)
{
  PasFilePane *pane = button == self->local_switch ? self->local_pane : self->remote_pane;

  if (!gtk_toggle_button_get_active (button) || self->shown_pane == pane)
    return;
  self->shown_pane = pane;
  show_panes (self);
  if (self->narrow)
    pas_file_pane_focus_list (pane);
}

/* A folded tab is as narrow as one pane; unfolded it reports the same
 * minimum, so the window can be made narrow at all (it folds first). */
static void
pas_browser_measure (GtkWidget     *widget,
                     GtkOrientation orientation,
                     int            for_size,
                     int           *minimum,
                     int           *natural,
                     int           *minimum_baseline,
                     int           *natural_baseline)
{
  PasBrowser *self = PAS_BROWSER (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL && !self->narrow)
    {
      int one = 0;

      gtk_widget_measure (GTK_WIDGET (self->remote_pane), orientation, -1, &one, NULL, NULL, NULL);
      *minimum = MIN (*minimum, one);
    }
}

static void
pas_browser_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  PasBrowser *self = PAS_BROWSER (widget);
  int minimum = 0;

  self->last_width = width;
  if (((width < FOLD_BELOW) != self->narrow || wants_compact (self) != self->compact) && self->fold_source == 0)
    self->fold_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_fold_cb, self, NULL);
  /* Until the fold applies (next frame), never below what the panes need:
   * the overflow is clipped. */
  gtk_widget_measure (GTK_WIDGET (self->stack), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  gtk_widget_size_allocate (GTK_WIDGET (self->stack), &(GtkAllocation) { 0, 0, MAX (width, minimum), height },
                            baseline);
}

void
pas_browser_class_init_fold (GtkWidgetClass *widget_class)
{
  widget_class->measure = pas_browser_measure;
  widget_class->size_allocate = pas_browser_size_allocate;
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, panes);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, switcher);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, local_switch);
  gtk_widget_class_bind_template_child (widget_class, PasBrowser, remote_switch);
}

void
pas_browser_init_fold (PasBrowser *self)
{
  self->shown_pane = self->remote_pane;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  g_signal_connect (self->local_switch, "toggled", G_CALLBACK (switch_toggled_cb), self);
  g_signal_connect (self->remote_switch, "toggled", G_CALLBACK (switch_toggled_cb), self);
}

void
pas_browser_dispose_fold (PasBrowser *self)
{
  g_clear_handle_id (&self->fold_source, g_source_remove);
}

gboolean
pas_browser_is_folded (PasBrowser *self)
{
  g_return_val_if_fail (PAS_IS_BROWSER (self), FALSE);

  return self->narrow;
}
