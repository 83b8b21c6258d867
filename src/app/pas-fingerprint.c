#define G_LOG_DOMAIN "pas-fingerprint"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pas-fingerprint.h"

#define SPACING 6

/* Two labels, one shown: the whole line when the width allows it, else the
 * same text broken once at a fixed point (the space nearest the middle, or
 * the middle of a fingerprint). Never hyphenated, never cut, never broken
 * anywhere else — people compare these character by character. */
struct _PasFingerprint
{
  GtkWidget  parent_instance;

  GtkWidget *whole;
  GtkWidget *split;
  GtkWidget *copy;
};

G_DEFINE_FINAL_TYPE (PasFingerprint, pas_fingerprint, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
split_text (const char *text)
{
  gsize len = strlen (text);
  const char *space = NULL;
  gsize at = len / 2;

  for (const char *p = strchr (text, ' '); p != NULL; p = strchr (p + 1, ' '))
    if (space == NULL || ABS ((gssize) (p - text) - (gssize) at) < ABS ((gssize) (space - text) - (gssize) at))
      space = p;
  if (space != NULL)
    return g_strdup_printf ("%.*s\n%s", (int) (space - text), text, space + 1);
  /* Fingerprints are ASCII (base64 or hex); keep a UTF-8 character whole. */
  while (at > 0 && (text[at] & 0xC0) == 0x80)
    at--;
  return g_strdup_printf ("%.*s\n%s", (int) at, text, text + at);
}

static void
copy_clicked_cb (PasFingerprint *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), pas_fingerprint_get_text (self));
  /* Said where the pointer is. */
  gtk_widget_set_tooltip_text (self->copy, _("Copied"));
}

static int
whole_width (PasFingerprint *self)
{
  int text = 0, button = 0;

  gtk_widget_measure (self->whole, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &text, NULL, NULL);
  gtk_widget_measure (self->copy, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &button, NULL, NULL);
  return text + SPACING + button;
}

static void
pas_fingerprint_measure (GtkWidget     *widget,
                         GtkOrientation orientation,
                         int            for_size,
                         int           *minimum,
                         int           *natural,
                         int           *minimum_baseline,
                         int           *natural_baseline)
{
  PasFingerprint *self = PAS_FINGERPRINT (widget);
  int button_min = 0, button_nat = 0;

  gtk_widget_measure (self->copy, orientation, -1, &button_min, &button_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int split = 0;

      gtk_widget_measure (self->split, orientation, -1, NULL, &split, NULL, NULL);
      *minimum = split + SPACING + button_nat;
      *natural = whole_width (self);
    }
  else
    {
      GtkWidget *shown = for_size < 0 || for_size >= whole_width (self) ? self->whole : self->split;
      int text = 0;

      gtk_widget_measure (shown, orientation, -1, NULL, &text, NULL, NULL);
      *minimum = *natural = MAX (text, button_nat);
    }
}

static GtkSizeRequestMode
pas_fingerprint_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
pas_fingerprint_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  PasFingerprint *self = PAS_FINGERPRINT (widget);
  gboolean fits = width >= whole_width (self);
  GtkWidget *shown = fits ? self->whole : self->split;
  int button = 0, text_height = 0, button_height = 0;

  gtk_widget_set_child_visible (self->whole, fits);
  gtk_widget_set_child_visible (self->split, !fits);
  gtk_widget_measure (self->copy, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &button, NULL, NULL);
  gtk_widget_measure (self->copy, GTK_ORIENTATION_VERTICAL, -1, NULL, &button_height, NULL, NULL);
  gtk_widget_measure (shown, GTK_ORIENTATION_VERTICAL, -1, NULL, &text_height, NULL, NULL);
  gtk_widget_size_allocate (shown, &(GtkAllocation) { 0, (height - text_height) / 2,
                                                      MAX (width - button - SPACING, 0), text_height }, -1);
  gtk_widget_size_allocate (self->copy, &(GtkAllocation) { width - button, (height - button_height) / 2,
                                                           button, button_height }, -1);
}

static void
pas_fingerprint_dispose (GObject *object)
{
  PasFingerprint *self = PAS_FINGERPRINT (object);

  g_clear_pointer (&self->whole, gtk_widget_unparent);
  g_clear_pointer (&self->split, gtk_widget_unparent);
  g_clear_pointer (&self->copy, gtk_widget_unparent);
  G_OBJECT_CLASS (pas_fingerprint_parent_class)->dispose (object);
}

static void
pas_fingerprint_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PasFingerprint *self = PAS_FINGERPRINT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, pas_fingerprint_get_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pas_fingerprint_class_init (PasFingerprintClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pas_fingerprint_dispose;
  object_class->get_property = pas_fingerprint_get_property;
  widget_class->get_request_mode = pas_fingerprint_get_request_mode;
  widget_class->measure = pas_fingerprint_measure;
  widget_class->size_allocate = pas_fingerprint_size_allocate;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "fingerprint");
}

static GtkWidget *
monospace_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "monospace");
  return label;
}

static void
pas_fingerprint_init (PasFingerprint *self)
{
  self->whole = monospace_label ();
  gtk_widget_set_parent (self->whole, GTK_WIDGET (self));
  self->split = monospace_label ();
  gtk_widget_set_parent (self->split, GTK_WIDGET (self));

  self->copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_add_css_class (self->copy, "flat");
  g_signal_connect_swapped (self->copy, "clicked", G_CALLBACK (copy_clicked_cb), self);
  gtk_widget_set_parent (self->copy, GTK_WIDGET (self));
}

GtkWidget *
pas_fingerprint_new (const char *text,
                     const char *copy_label)
{
  PasFingerprint *self;
  g_autofree char *split = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (PAS_TYPE_FINGERPRINT, NULL);
  split = split_text (text);
  gtk_label_set_text (GTK_LABEL (self->whole), text);
  gtk_label_set_text (GTK_LABEL (self->split), split);
  gtk_widget_set_tooltip_text (self->copy, copy_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy), GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);
  return GTK_WIDGET (self);
}

const char *
pas_fingerprint_get_text (PasFingerprint *self)
{
  g_return_val_if_fail (PAS_IS_FINGERPRINT (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->whole));
}
