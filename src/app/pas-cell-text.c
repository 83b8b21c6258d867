#define G_LOG_DOMAIN "pas-cell-text"

#include "config.h"

#include "pas-cell-text.h"

struct _PasCellText
{
  GtkWidget    parent_instance;

  char        *text;
  float        xalign;
  gboolean     numeric;
  gboolean     live;

  PangoLayout *layout;
  /* The text's own size, valid while the pango context (the font) keeps
   * this serial; -1: to measure. */
  guint        serial;
  int          width;
  int          height;
  int          baseline;
  int          drawn_width;
};

G_DEFINE_FINAL_TYPE (PasCellText, pas_cell_text, GTK_TYPE_WIDGET)

static void
invalidate (PasCellText *self)
{
  self->width = -1;
  self->drawn_width = -1;
}

static void
ensure_layout (PasCellText *self)
{
  guint serial = pango_context_get_serial (gtk_widget_get_pango_context (GTK_WIDGET (self)));
  PangoRectangle logical;

  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      if (self->numeric)
        {
          /* What libadwaita's .numeric asks of a GtkLabel. */
          g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
          pango_layout_set_attributes (self->layout, attrs);
        }
      invalidate (self);
    }
  if (self->width >= 0 && self->serial == serial)
    return;
  pango_layout_set_width (self->layout, -1);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  self->width = logical.width;
  self->height = logical.height;
  self->baseline = pango_layout_get_baseline (self->layout) / PANGO_SCALE;
  self->serial = serial;
  self->drawn_width = -1;
}

static void
pas_cell_text_measure (GtkWidget     *widget,
                       GtkOrientation orientation,
                       int            for_size,
                       int           *minimum,
                       int           *natural,
                       int           *minimum_baseline,
                       int           *natural_baseline)
{
  PasCellText *self = PAS_CELL_TEXT (widget);

  ensure_layout (self);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* About an ellipsis: the text may be cut down to that. Live text
       * asks for no width of its own: a new text then needs no new size. */
      *minimum = self->live ? 0 : MIN (self->width, self->height);
      *natural = self->live ? 0 : self->width;
    }
  else
    {
      *minimum = *natural = self->height;
      *minimum_baseline = *natural_baseline = self->baseline;
    }
}

static void
pas_cell_text_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  PasCellText *self = PAS_CELL_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float xalign = self->xalign;
  PangoRectangle logical;
  GdkRGBA color;

  if (self->text == NULL || self->text[0] == '\0' || width <= 0)
    return;
  ensure_layout (self);
  /* Laid out again only to cut it short. */
  if (pango_layout_get_width (self->layout) != (width >= self->width ? -1 : width * PANGO_SCALE))
    pango_layout_set_width (self->layout, width >= self->width ? -1 : width * PANGO_SCALE);
  self->drawn_width = width;
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.0f - xalign;
  /* gtk_widget_get_color() is 4.10; builds target the 4.8 API (newer GTKs
   * keep this one, deprecated). */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (MAX (0, width - logical.width) * xalign - logical.x,
                                                          (height - self->height) / 2));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
pas_cell_text_finalize (GObject *object)
{
  PasCellText *self = PAS_CELL_TEXT (object);

  g_clear_object (&self->layout);
  g_free (self->text);

  G_OBJECT_CLASS (pas_cell_text_parent_class)->finalize (object);
}

static void
pas_cell_text_class_init (PasCellTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pas_cell_text_finalize;
  widget_class->measure = pas_cell_text_measure;
  widget_class->snapshot = pas_cell_text_snapshot;
  /* Styled as a label by the theme (.dim-label, selected rows). */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
pas_cell_text_init (PasCellText *self)
{
  invalidate (self);
}

GtkWidget *
pas_cell_text_new (float    xalign,
                   gboolean numeric)
{
  PasCellText *self = g_object_new (PAS_TYPE_CELL_TEXT, NULL);

  self->xalign = xalign;
  self->numeric = numeric;
  return GTK_WIDGET (self);
}

void
pas_cell_text_set_text (PasCellText *self,
                        const char  *text)
{
  g_return_if_fail (PAS_IS_CELL_TEXT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text != NULL ? text : "", -1);
  invalidate (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  if (self->live && self->layout != NULL)
    {
      int height = self->height;
      int baseline = self->baseline;

      ensure_layout (self);
      if (self->height == height && self->baseline == baseline)
        {
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return;
        }
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
pas_cell_text_set_live (PasCellText *self,
                        gboolean     live)
{
  g_return_if_fail (PAS_IS_CELL_TEXT (self));

  self->live = !!live;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const char *
pas_cell_text_get_text (PasCellText *self)
{
  g_return_val_if_fail (PAS_IS_CELL_TEXT (self), NULL);

  return self->text != NULL ? self->text : "";
}

gboolean
pas_cell_text_is_ellipsized (PasCellText *self)
{
  g_return_val_if_fail (PAS_IS_CELL_TEXT (self), FALSE);

  return self->layout != NULL && self->drawn_width >= 0 && pango_layout_is_ellipsized (self->layout);
}
