#define G_LOG_DOMAIN "pas-host-key-danger"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-alert.h"
#include "pas-fingerprint.h"
#include "pas-host-key-danger.h"

typedef struct
{
  GtkWidget        *parent;
  PasHostKeyChange *change;
} Danger;

static void
danger_free (Danger *danger)
{
  g_clear_object (&danger->parent);
  g_clear_pointer (&danger->change, pas_host_key_change_free);
  g_free (danger);
}

static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!pas_host_key_change_replace_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
confirm_response_cb (PasAlert   *alert,
                     const char *response,
                     GTask      *task)
{
  Danger *danger = g_task_get_task_data (task);

  if (g_strcmp0 (response, "replace") == 0)
    pas_host_key_change_replace_async (danger->change, g_task_get_cancellable (task), replaced_cb, task);
  else
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
    }
}

/* The second question: the whole point of the first dialog is that a
 * changed key may be an attack, so the person says once more that the
 * administrator confirmed this fingerprint. */
static void
ask_to_confirm (GTask *task)
{
  Danger *danger = g_task_get_task_data (task);
  g_autofree char *body = NULL;
  PasAlert *alert;

  /* Translators: the first %s is a file such as ~/.ssh/known_hosts */
  body = g_strdup_printf (_("Only do this if the server’s administrator confirmed the new fingerprint "
                            "below. Every key stored for this server is removed from %s (the file "
                            "as it was is kept as %s.old), and the new key is saved."),
                          danger->change->known_hosts, danger->change->known_hosts);
  alert = pas_alert_new (danger->parent, _("Replace the Stored Key?"), body);
  gtk_widget_add_css_class (GTK_WIDGET (alert), "host-key-replace");
  pas_alert_set_extra_child (alert, pas_fingerprint_new (danger->change->offered_fingerprint,
                                                         _("Copy the Fingerprint")));
  pas_alert_add_responses (alert,
                           "cancel", _("_Cancel"),
                           "replace", _("_Replace and Connect"),
                           NULL);
  pas_alert_set_response_appearance (alert, "replace", ADW_RESPONSE_DESTRUCTIVE);
  pas_alert_set_default_response (alert, "cancel");
  pas_alert_set_close_response (alert, "cancel");
  g_signal_connect (alert, "response", G_CALLBACK (confirm_response_cb), task);
  pas_alert_present (alert);
}

static void
danger_response_cb (PasAlert   *alert,
                    const char *response,
                    GTask      *task)
{
  if (g_strcmp0 (response, "replace") == 0)
    ask_to_confirm (task);
  else
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
    }
}

static void
add_row (GtkGrid    *grid,
         int         row,
         const char *caption,
         GtkWidget  *value)
{
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, value, 0, row + 1, 1, 1);
}

/* Captions above their values: three long monospace lines fit a narrow
 * window that way. */
static GtkWidget *
change_details (const PasHostKeyChange *change)
{
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  g_autofree char *command = pas_host_key_change_dup_command (change);
  g_autofree char *on_file = NULL;
  int row = 0;

  gtk_grid_set_row_spacing (grid, 3);
  if (change->stored_fingerprint != NULL)
    {
      /* Translators: %s is a place such as ~/.ssh/known_hosts:3 (file and line) */
      on_file = g_strdup_printf (_("On file (%s)"), change->where);
      add_row (grid, row, on_file, pas_fingerprint_new (change->stored_fingerprint, _("Copy the Old Fingerprint")));
      row += 2;
    }
  add_row (grid, row, _("Sent by the server now"),
           pas_fingerprint_new (change->offered_fingerprint, _("Copy the New Fingerprint")));
  row += 2;
  add_row (grid, row, _("To remove the old key in a terminal"), pas_fingerprint_new (command, _("Copy the Command")));
  return GTK_WIDGET (grid);
}

void
pas_host_key_danger_present_async (GtkWidget              *parent,
                                   const GError           *error,
                                   const PasHostKeyChange *change,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  gboolean revoked = g_error_matches (error, PAS_ERROR, PAS_ERROR_HOST_KEY_REVOKED);
  GTask *task = g_task_new (parent, cancellable, callback, user_data);
  Danger *danger = g_new0 (Danger, 1);
  g_autofree char *body = NULL;
  PasAlert *alert;

  g_task_set_source_tag (task, pas_host_key_danger_present_async);
  danger->parent = g_object_ref (parent);
  /* A revoked key is never replaced from here. */
  danger->change = revoked ? NULL : pas_host_key_change_copy (change);
  g_task_set_task_data (task, danger, (GDestroyNotify) danger_free);

  if (danger->change != NULL)
    {
      g_autofree char *server = pas_known_hosts_format_host (change->host, change->port);

      /* Translators: %s is a server such as example.com or [example.com]:2222 */
      body = g_strdup_printf (_("%s sent a key that is not the one on file for it. Someone may be "
                                "intercepting the connection — or the server was reinstalled. "
                                "Ask its administrator for the new fingerprint before anything else."),
                              server);
    }
  else
    body = pas_error_describe (error, "\n\n");

  alert = pas_alert_new (parent, revoked ? _("Server Key Revoked") : _("Server Key Changed"), body);
  gtk_widget_add_css_class (GTK_WIDGET (alert), "host-key-danger");
  if (danger->change != NULL)
    pas_alert_set_extra_child (alert, change_details (danger->change));
  pas_alert_add_response (alert, "close", _("_Close"));
  if (danger->change != NULL && danger->change->known_hosts != NULL)
    {
      pas_alert_add_response (alert, "replace", _("_Replace the Stored Key…"));
      pas_alert_set_response_appearance (alert, "replace", ADW_RESPONSE_DESTRUCTIVE);
    }
  pas_alert_set_default_response (alert, "close");
  pas_alert_set_close_response (alert, "close");
  g_signal_connect (alert, "response", G_CALLBACK (danger_response_cb), task);
  pas_alert_present (alert);
}

gboolean
pas_host_key_danger_present_finish (GAsyncResult *result,
                                    GError      **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pas_host_key_danger_present_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
