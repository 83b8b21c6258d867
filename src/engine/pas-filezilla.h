#pragma once

#include <glib.h>

#include "pas-session.h"

G_BEGIN_DECLS

/* FileZilla's Site Manager (sitemanager.xml): its SFTP sites as saved
 * sessions, with their folders ("Work/Clients"). A stored password is
 * handed back beside its session, for the keyring, never put in the
 * session. Other protocols are counted and left out. */

typedef struct
{
  PasSession *session;
  char       *password;   /* (nullable) wipe with pas_secret_free() */
} PasFilezillaSite;

void       pas_filezilla_site_free (PasFilezillaSite *site);

/* Returns: (transfer full) (element-type PasFilezillaSite): the SFTP sites,
 *   or NULL with @error for a file that is not a Site Manager file */
GPtrArray *pas_filezilla_parse     (const char  *text,
                                    gssize       length,
                                    guint       *n_skipped,
                                    GError     **error);

G_END_DECLS
