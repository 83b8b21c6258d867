#define G_LOG_DOMAIN "pas-connection-details"

#include "config.h"

#include <glib/gi18n.h>

#include "pas-alert.h"
#include "pas-connection-details.h"
#include "pas-fingerprint.h"

static void
add_widget_row (GtkGrid    *grid,
                int         row,
                const char *name,
                GtkWidget  *shown)
{
  GtkWidget *label = gtk_label_new (name);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (shown), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, shown, 1, row, 1, 1);
}

static void
add_row (GtkGrid    *grid,
         int         row,
         const char *name,
         const char *value,
         gboolean    monospace)
{
  GtkWidget *shown = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (shown), 0.0f);
  /* One line each: a wrapped label would make the alert as tall as its
   * narrowest width asks. */
  gtk_label_set_selectable (GTK_LABEL (shown), TRUE);
  if (monospace)
    gtk_widget_add_css_class (shown, "monospace");
  add_widget_row (grid, row, name, shown);
}

/* "aes128-ctr", or "aes128-ctr / aes256-ctr" when the two directions differ. */
static char *
both_ways (const char *out,
           const char *in)
{
  return g_strcmp0 (out, in) == 0 ? g_strdup (out) : g_strdup_printf ("%s / %s", out, in);
}

void
pas_connection_details_present (GtkWidget     *parent,
                                const char    *server,
                                PasConnection *connection)
{
  const PasAlgorithms *agreed = pas_connection_get_algorithms (connection);
  const PasHostKey *key = pas_connection_get_host_key (connection);
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  PasAlert *alert;
  int row = 0;

  g_return_if_fail (agreed != NULL && key != NULL);

  gtk_grid_set_row_spacing (grid, 6);
  gtk_grid_set_column_spacing (grid, 12);
  {
    g_autofree char *type = g_strdup_printf ("%s %u", pas_host_key_get_display_type (key),
                                             pas_host_key_get_bits (key));
    g_autofree char *fingerprint = pas_host_key_get_fingerprint (key);
    g_autofree char *cipher = both_ways (agreed->cipher_out, agreed->cipher_in);
    g_autofree char *mac = both_ways (agreed->mac_out, agreed->mac_in);

    add_row (grid, row++, _("Host key"), type, FALSE);
    add_widget_row (grid, row++, _("Fingerprint"), pas_fingerprint_new (fingerprint, _("Copy the Fingerprint")));
    add_row (grid, row++, _("Login"), pas_connection_get_auth_method (connection), FALSE);
    add_row (grid, row++, _("Key exchange"), agreed->kex, TRUE);
    add_row (grid, row++, _("Cipher"), cipher, TRUE);
    /* An AEAD cipher carries its own integrity check. */
    if (pas_algorithms_cipher_is_aead (agreed->cipher_out))
      add_row (grid, row++, _("Integrity"), _("built into the cipher"), FALSE);
    else
      add_row (grid, row++, _("Integrity"), mac, TRUE);
  }

  alert = pas_alert_new (parent, _("Connection Details"), server);
  pas_alert_set_extra_child (alert, GTK_WIDGET (grid));
  pas_alert_add_response (alert, "close", _("_Close"));
  pas_alert_set_close_response (alert, "close");
  pas_alert_set_default_response (alert, "close");
  pas_alert_present (alert);
}
