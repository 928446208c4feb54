using IntegrationHealth.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHealth.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Rewrites stored event ids from .NET's mixed-endian <c>Guid.ToByteArray()</c> layout to RFC 9562 (big-endian)
    /// byte order, the order <c>SqliteGuidBytesConverter</c> and the SQLite bulk writer use from now on. Data only:
    /// the model (a 16-byte BLOB key) is unchanged, so there is no designer file and the snapshot stays as it is.
    /// </summary>
    /// <remarks>
    /// The swap is its own inverse, so <see cref="Down"/> runs the same statements. It goes through a 17-byte
    /// intermediate (a 0x00 prefix no 16-byte id can equal) so no row's new id can collide with another row's old
    /// id halfway through the statement; the second statement drops the prefix. Needs SQLite 3.41+ (<c>unhex</c>),
    /// which the bundled <c>e_sqlite3</c> provides.
    /// </remarks>
    [DbContext(typeof(IntegrationHealthDbContext))]
    [Migration("20261123190000_BigEndianEventIds")]
    public partial class BigEndianEventIds : Migration
    {
        // Bytes 1-4, 5-6 and 7-8 reversed (hex digit pairs of each field in reverse order), bytes 9-16 as they are.
        private const string SwapSql = """
            UPDATE telemetry_events SET id = unhex('00' ||
                substr(hex(id), 7, 2) || substr(hex(id), 5, 2) || substr(hex(id), 3, 2) || substr(hex(id), 1, 2) ||
                substr(hex(id), 11, 2) || substr(hex(id), 9, 2) ||
                substr(hex(id), 15, 2) || substr(hex(id), 13, 2) ||
                substr(hex(id), 17, 16))
            WHERE length(id) = 16;
            UPDATE telemetry_events SET id = substr(id, 2) WHERE length(id) = 17;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(SwapSql);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(SwapSql);
    }
}
