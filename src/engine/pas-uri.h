#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What an sftp:// link may carry: user, host, port and path — never options
 * or a password (draft-ietf-secsh-scp-sftp-ssh-uri connection parameters are
 * refused, so a web page cannot change how we connect). */
typedef struct
{
  char    *user;  /* (nullable): NULL means "the configured or local user" */
  char    *host;  /* never NULL; IPv6 literals without brackets */
  guint16  port;  /* 0 means "the configured or default port" */
  char    *path;  /* (nullable): decoded; NULL means the home folder; "~/x" is home-relative */
} PasUri;

#define PAS_URI_DEFAULT_PORT 22

PasUri *pas_uri_parse             (const char   *text,
                                   GError      **error);
PasUri *pas_uri_copy              (const PasUri *self);
void    pas_uri_free              (PasUri       *self);
char   *pas_uri_to_string         (const PasUri *self);
char   *pas_uri_to_display_string (const PasUri *self);
guint16 pas_uri_get_effective_port (const PasUri *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasUri, pas_uri_free)

G_END_DECLS
