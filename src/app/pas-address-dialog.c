#define G_LOG_DOMAIN "pas-address-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-engine.h"
#include "pas-address-dialog.h"

static gboolean
parses (const char *text)
{
  g_autoptr(PasAddress) address = pas_address_parse (text, NULL);

  return address != NULL;
}

static void
entry_changed_cb (GtkEditable *entry,
                  PasAlert    *dialog)
{
  pas_alert_set_response_enabled (dialog, "connect", parses (gtk_editable_get_text (entry)));
}

/* @text: (nullable): the address to start from; NULL: an empty entry with
 * an example. */
PasAlert *
pas_address_dialog_new (GtkWidget  *parent,
                        const char *heading,
                        const char *body,
                        const char *text)
{
  PasAlert *dialog = pas_alert_new (parent, heading, body);
  GtkWidget *entry = gtk_entry_new ();

  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
  else
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "user@example.com");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_URL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Server address"), -1);
  pas_alert_set_extra_child (dialog, entry);
  pas_alert_add_responses (dialog, "cancel", _("_Cancel"), "connect", _("C_onnect"), NULL);
  pas_alert_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  pas_alert_set_default_response (dialog, "connect");
  pas_alert_set_close_response (dialog, "cancel");
  pas_alert_set_response_enabled (dialog, "connect", parses (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_signal_connect (entry, "changed", G_CALLBACK (entry_changed_cb), dialog);
  return dialog;
}
