/* See pas-alert.h for why there are two implementations. This file alone
 * may use libadwaita API newer than Debian 12's 1.2, when the headers have
 * it; everything else stays within 1.2 (meson.build pins the version). */
#undef ADW_VERSION_MAX_ALLOWED
#define ADW_VERSION_MAX_ALLOWED ADW_VERSION_HEX
#define G_LOG_DOMAIN "pas-alert"

#include "pas-alert.h"

#if ADW_CHECK_VERSION (1, 6, 0)
# define USE_ALERT_DIALOG 1
# define ALERT(self) ADW_ALERT_DIALOG (self)
# define CALL(what, self, ...) adw_alert_dialog_##what (ALERT (self), ##__VA_ARGS__)
#else
# define USE_ALERT_DIALOG 0
# define ALERT(self) ADW_MESSAGE_DIALOG (self)
# define CALL(what, self, ...) adw_message_dialog_##what (ALERT (self), ##__VA_ARGS__)
#endif

GType
pas_alert_get_type (void)
{
#if USE_ALERT_DIALOG
  return ADW_TYPE_ALERT_DIALOG;
#else
  return ADW_TYPE_MESSAGE_DIALOG;
#endif
}

#if USE_ALERT_DIALOG
static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}
#endif

/* @parent: any widget of the window the alert belongs to (or NULL). */
PasAlert *
pas_alert_new (GtkWidget  *parent,
               const char *heading,
               const char *body)
{
#if USE_ALERT_DIALOG
  GtkWidget *self = GTK_WIDGET (adw_alert_dialog_new (heading, NULL));
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, parent);
  g_object_set_data_full (G_OBJECT (self), "pas-alert-parent", ref, weak_ref_free);
  pas_alert_set_body (self, body);
  return self;
#else
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  GtkWidget *self = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, NULL);

  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  /* Named for window lists and screen readers (and found by keyboard tests). */
  gtk_window_set_title (GTK_WINDOW (self), heading);
  pas_alert_set_body (self, body);
  return self;
#endif
}

static gboolean
has_editable (GtkWidget *widget)
{
  if (GTK_IS_EDITABLE (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_editable (child))
      return TRUE;
  return FALSE;
}

static GtkWidget *find_button (GtkWidget *widget, const char *label);

void
pas_alert_present (PasAlert *self)
{
  GtkWidget *extra;
  GtkWidget *button = NULL;
  const char *id;

  g_return_if_fail (PAS_IS_ALERT (self));
#if USE_ALERT_DIALOG
  {
    g_autoptr(GtkWidget) parent = g_weak_ref_get (g_object_get_data (G_OBJECT (self), "pas-alert-parent"));

    adw_dialog_present (ADW_DIALOG (self), parent);
  }
#else
  gtk_window_present (GTK_WINDOW (self));
#endif
  /* Return answers as the highlighted button says, not with whatever comes
   * first (a fingerprint's Copy button took the focus); a dialog with a
   * text field keeps it in the field. */
  extra = pas_alert_get_extra_child (self);
  id = pas_alert_get_default_response (self);
  if ((extra == NULL || !has_editable (extra)) && id != NULL)
    button = find_button (GTK_WIDGET (self), pas_alert_get_response_label (self, id));
  if (button != NULL)
#if USE_ALERT_DIALOG
    adw_dialog_set_focus (ADW_DIALOG (self), button);
#else
    gtk_window_set_focus (GTK_WINDOW (self), button);
#endif
}

/* Closes as Escape would: the close response is emitted. */
void
pas_alert_close (PasAlert *self)
{
  g_return_if_fail (PAS_IS_ALERT (self));
#if USE_ALERT_DIALOG
  adw_dialog_close (ADW_DIALOG (self));
#else
  gtk_window_close (GTK_WINDOW (self));
#endif
}

/* GTK 4.8 crashed when a focused GtkPasswordEntry went away with its
 * dialog: dialogs with entries drop their focus before they close. */
void
pas_alert_drop_focus (PasAlert *self)
{
  g_return_if_fail (PAS_IS_ALERT (self));
#if USE_ALERT_DIALOG
  adw_dialog_set_focus (ADW_DIALOG (self), NULL);
#else
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
#endif
}

static gboolean
close_window_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

void
pas_alert_close_window_later (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_idle_add_full (G_PRIORITY_DEFAULT, close_window_cb, g_object_ref (window), g_object_unref);
}

const char *
pas_alert_get_heading (PasAlert *self)
{
  g_return_val_if_fail (PAS_IS_ALERT (self), NULL);
  return CALL (get_heading, self);
}

/* The text as given (the dialog holds it as markup). */
const char *
pas_alert_get_body (PasAlert *self)
{
  g_return_val_if_fail (PAS_IS_ALERT (self), NULL);
  return g_object_get_data (G_OBJECT (self), "pas-alert-body");
}

/* Bodies carry fingerprints, paths and commands: a wrap inside one must
 * not draw a hyphen that is not in it (Pango does unless told not to). */
void
pas_alert_set_body (PasAlert   *self,
                    const char *body)
{
  g_autofree char *escaped = NULL;
  g_autofree char *markup = NULL;

  g_return_if_fail (PAS_IS_ALERT (self));

  g_object_set_data_full (G_OBJECT (self), "pas-alert-body", g_strdup (body), g_free);
  escaped = g_markup_escape_text (body != NULL ? body : "", -1);
  markup = g_strdup_printf ("<span insert_hyphens=\"false\">%s</span>", escaped);
  CALL (set_body_use_markup, self, TRUE);
  CALL (set_body, self, markup);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Return on a check box ("Remember", "Apply to all") answers the dialog as
 * the default button would, instead of flipping the box. */
static gboolean
activate_default_cb (GtkWidget *widget,
                     GVariant  *args,
                     gpointer   data)
{
  PasAlert *self = data;
  const char *id = pas_alert_get_default_response (self);
  GtkWidget *button;

  if (id == NULL || !pas_alert_get_response_enabled (self, id))
    return TRUE;
  button = find_button (GTK_WIDGET (self), pas_alert_get_response_label (self, id));
  if (button != NULL)
    gtk_widget_activate (button);
  return TRUE;
}

static void
return_answers (PasAlert  *self,
                GtkWidget *widget)
{
  if (GTK_IS_CHECK_BUTTON (widget))
    {
      GtkEventController *keys = gtk_shortcut_controller_new ();
      GtkShortcutAction *action = gtk_callback_action_new (activate_default_cb, self, NULL);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, 0),
                                                       gtk_keyval_trigger_new (GDK_KEY_KP_Enter, 0)),
                          action));
      /* Before the check box's own Return (which toggles it). */
      gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
      gtk_widget_add_controller (widget, keys);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    return_answers (self, child);
}

void
pas_alert_set_extra_child (PasAlert  *self,
                           GtkWidget *child)
{
  g_return_if_fail (PAS_IS_ALERT (self));
  CALL (set_extra_child, self, child);
  if (child != NULL)
    return_answers (self, child);
}

GtkWidget *
pas_alert_get_extra_child (PasAlert *self)
{
  g_return_val_if_fail (PAS_IS_ALERT (self), NULL);
  return CALL (get_extra_child, self);
}

void
pas_alert_add_response (PasAlert   *self,
                        const char *id,
                        const char *label)
{
  g_return_if_fail (PAS_IS_ALERT (self));
  CALL (add_response, self, id, label);
}

void
pas_alert_add_responses (PasAlert   *self,
                         const char *first_id,
                         ...)
{
  va_list args;

  g_return_if_fail (PAS_IS_ALERT (self));
  va_start (args, first_id);
  for (const char *id = first_id; id != NULL; id = va_arg (args, const char *))
    CALL (add_response, self, id, va_arg (args, const char *));
  va_end (args);
}

gboolean
pas_alert_has_response (PasAlert   *self,
                        const char *id)
{
  g_return_val_if_fail (PAS_IS_ALERT (self), FALSE);
  return CALL (has_response, self, id);
}

const char *
pas_alert_get_response_label (PasAlert   *self,
                              const char *id)
{
  g_return_val_if_fail (PAS_IS_ALERT (self), NULL);
  return CALL (get_response_label, self, id);
}

void
pas_alert_set_response_appearance (PasAlert             *self,
                                   const char           *id,
                                   AdwResponseAppearance appearance)
{
  g_return_if_fail (PAS_IS_ALERT (self));
  CALL (set_response_appearance, self, id, appearance);
}

void
pas_alert_set_response_enabled (PasAlert   *self,
                                const char *id,
                                gboolean    enabled)
{
  g_return_if_fail (PAS_IS_ALERT (self));
  CALL (set_response_enabled, self, id, enabled);
}

gboolean
pas_alert_get_response_enabled (PasAlert   *self,
                                const char *id)
{
  g_return_val_if_fail (PAS_IS_ALERT (self), FALSE);
  return CALL (get_response_enabled, self, id);
}

void
pas_alert_set_default_response (PasAlert   *self,
                                const char *id)
{
  g_return_if_fail (PAS_IS_ALERT (self));
  CALL (set_default_response, self, id);
}

const char *
pas_alert_get_default_response (PasAlert *self)
{
  g_return_val_if_fail (PAS_IS_ALERT (self), NULL);
  return CALL (get_default_response, self);
}

void
pas_alert_set_close_response (PasAlert   *self,
                              const char *id)
{
  g_return_if_fail (PAS_IS_ALERT (self));
  CALL (set_close_response, self, id);
}
