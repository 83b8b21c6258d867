/* The theme styles "progressbar > trough > progress". Here the progress node
 * always spans the whole trough, and the trough draws only the fraction of
 * it that is done (a clip): a new fraction needs a new drawing, never a new
 * size or allocation. */
#define G_LOG_DOMAIN "pas-progress-line"

#include "config.h"

#include "pas-progress-line.h"

/* The trough: a node of its own for the theme, drawing its child clipped. */
#define PAS_TYPE_PROGRESS_TROUGH (pas_progress_trough_get_type ())
G_DECLARE_FINAL_TYPE (PasProgressTrough, pas_progress_trough, PAS, PROGRESS_TROUGH, GtkWidget)

struct _PasProgressTrough
{
  GtkWidget  parent_instance;

  GtkWidget *progress;
  double     fraction;
};

G_DEFINE_FINAL_TYPE (PasProgressTrough, pas_progress_trough, GTK_TYPE_WIDGET)

static void
pas_progress_trough_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  PasProgressTrough *self = PAS_PROGRESS_TROUGH (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float done = (float) (width * self->fraction);

  if (done <= 0)
    return;
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL
                                                         ? width - done : 0, 0, done, height));
  gtk_widget_snapshot_child (widget, self->progress, snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
pas_progress_trough_dispose (GObject *object)
{
  PasProgressTrough *self = PAS_PROGRESS_TROUGH (object);

  g_clear_pointer (&self->progress, gtk_widget_unparent);

  G_OBJECT_CLASS (pas_progress_trough_parent_class)->dispose (object);
}

static void
pas_progress_trough_class_init (PasProgressTroughClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pas_progress_trough_dispose;
  widget_class->snapshot = pas_progress_trough_snapshot;
  gtk_widget_class_set_css_name (widget_class, "trough");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pas_progress_trough_init (PasProgressTrough *self)
{
  /* Any widget would do as the "progress" node: it only draws its CSS. */
  self->progress = g_object_new (GTK_TYPE_BOX, "css-name", "progress", "hexpand", TRUE, NULL);
  gtk_widget_set_parent (self->progress, GTK_WIDGET (self));
}

struct _PasProgressLine
{
  GtkWidget          parent_instance;

  PasProgressTrough *trough;
};

G_DEFINE_FINAL_TYPE (PasProgressLine, pas_progress_line, GTK_TYPE_WIDGET)

static void
pas_progress_line_dispose (GObject *object)
{
  PasProgressLine *self = PAS_PROGRESS_LINE (object);

  if (self->trough != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->trough));
  self->trough = NULL;

  G_OBJECT_CLASS (pas_progress_line_parent_class)->dispose (object);
}

static void
pas_progress_line_class_init (PasProgressLineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pas_progress_line_dispose;
  gtk_widget_class_set_css_name (widget_class, "progressbar");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
pas_progress_line_init (PasProgressLine *self)
{
  self->trough = g_object_new (PAS_TYPE_PROGRESS_TROUGH, NULL);
  gtk_widget_set_parent (GTK_WIDGET (self->trough), GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "horizontal");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1.0, GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 0.0,
                                  -1);
}

GtkWidget *
pas_progress_line_new (void)
{
  return g_object_new (PAS_TYPE_PROGRESS_LINE, NULL);
}

void
pas_progress_line_set_fraction (PasProgressLine *self,
                                double           fraction)
{
  g_return_if_fail (PAS_IS_PROGRESS_LINE (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->trough->fraction)
    return;
  self->trough->fraction = fraction;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, fraction, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->trough));
}

double
pas_progress_line_get_fraction (PasProgressLine *self)
{
  g_return_val_if_fail (PAS_IS_PROGRESS_LINE (self), 0.0);

  return self->trough->fraction;
}
