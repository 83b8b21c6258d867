#pragma once

/* Shared by the commands of passerelle-cli. Every engine call is run to its
 * end on the main thread's context: the CLI has no UI to keep responsive. */

#include <gio/gio.h>

#include "pas-engine.h"

G_BEGIN_DECLS

/* Exit statuses, as documented in the usage text and the README. */
enum {
  EXIT_OK = 0,
  EXIT_USAGE = 2,
  EXIT_CONNECTION = 3,
  EXIT_HOST_KEY = 4,
  EXIT_AUTH = 5,
  EXIT_REMOTE = 6,
  EXIT_LOCAL = 7,
  EXIT_PARTIAL = 8,
};

#define MAX_DEPTH 64

typedef struct
{
  char          **identities;
  char           *ssh_config;
  char           *conflict;
  gboolean        resume;
  gboolean        fsync;
  gboolean        follow_symlinks;
  gboolean        no_preserve;
  gboolean        dry_run;       /* sync */
  gboolean        delete_extras;
  gboolean        checksum;
  char          **excludes;
  gint            parallel;
  gint            channels;
  GPtrArray      *sessions;    /* get/put: every SFTP channel, cli->sftp first */
  char           *known_hosts;
  char           *jump;
  char           *sftp_server;
  gboolean        accept_new;
  gboolean        batch;
  gboolean        json;
  gboolean        quiet;
  gboolean        verbose;
  PasResolver    *resolver;
  PasConnection  *connection;
  PasInteraction *interaction;
  PasSftpSession *sftp;
} Cli;

/* pas-cli-target.c: what an address on the command line leads to. */
typedef struct
{
  PasDestination *destination;
  char           *path;        /* NULL: the home folder */
} PasCliTarget;

PasCliTarget *pas_cli_target_parse       (Cli                *cli,
                                          const char         *arg,
                                          GError            **error);
void          pas_cli_target_free        (PasCliTarget       *target);
gboolean      pas_cli_target_same_server (const PasCliTarget *a,
                                          const PasCliTarget *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasCliTarget, pas_cli_target_free)

void          pas_cli_store_cb    (GObject       *source,
                                   GAsyncResult  *result,
                                   gpointer       data);
GAsyncResult *pas_cli_wait_for    (GAsyncResult **slot);
void          pas_cli_print_error (const GError  *error);
gboolean      pas_cli_remote_stat (Cli           *cli,
                                   const char    *path,
                                   gboolean       follow,
                                   PasSftpAttrs  *attrs,
                                   GError       **error);
void          pas_cli_json_string (GString       *out,
                                   const char    *text);
void          pas_cli_json_print  (GString       *out);

int           pas_cli_open_connection (Cli                *cli,
                                       const PasCliTarget *target);

/* pas-cli-files.c: the file commands. */
int           pas_cli_ls          (Cli           *cli,
                                   const char    *path,
                                   gboolean       long_format,
                                   gboolean       all);
int           pas_cli_stat        (Cli           *cli,
                                   const char    *path);
int           pas_cli_mkdir       (Cli           *cli,
                                   const char    *path,
                                   gboolean       parents);
int           pas_cli_rm          (Cli           *cli,
                                   const char    *path,
                                   gboolean       recursive);
int           pas_cli_mv          (Cli           *cli,
                                   const char    *from,
                                   const char    *to_arg);
int           pas_cli_chmod       (Cli           *cli,
                                   const char    *mode_text,
                                   const char    *path);

/* pas-cli-run.c: a command on the server, like `ssh host command`. */
int           pas_cli_run         (Cli           *cli,
                                   GPtrArray     *args);

/* pas-cli-sync.c: makes the destination like the source. */
int           pas_cli_sync        (Cli           *cli,
                                   gboolean       upload,
                                   GFile         *local,
                                   const char    *remote);

/* pas-cli-transfer.c */
int           pas_cli_get         (Cli           *cli,
                                   char         **remote_paths,
                                   const char    *local,
                                   gboolean       recursive);
int           pas_cli_put         (Cli           *cli,
                                   char         **local_paths,
                                   const char    *remote,
                                   gboolean       recursive);

G_END_DECLS
