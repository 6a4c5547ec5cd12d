// H5Group's table factory: creating a table dataset (chunked, shuffled,
// deflated, unlimited rows), opening one and checking its schema on resume.
#include <string>

#include "core/io/hdf5_detail.h"
#include "core/io/hdf5_group.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

std::string child_where(const H5Object& parent, const std::string& name) {
  std::string p = parent.where();
  return p + (p.back() == '/' || name.front() == '/' ? "" : "/") + name;
}

// A 4 MiB chunk cache per table: several ~64 KiB chunks of the table being
// appended stay in memory between batches instead of being recompressed.
H5Id table_access_props() {
  H5Id dapl = h5::own(H5Pcreate(H5P_DATASET_ACCESS), "HDF5", "create dataset access properties");
  h5::check(H5Pset_chunk_cache(dapl.get(), 521, 4 << 20, H5D_CHUNK_CACHE_W0_DEFAULT), "HDF5",
            "set chunk cache");
  return dapl;
}

}  // namespace

H5Table H5Group::create_table(const std::string& name, const TableSchema& schema) {
  check_input(!name.empty(), where(), ": empty table name");
  std::string tw = child_where(*this, name);
  h5::validate_schema(schema, tw);
  check_input(!has(name), tw, ": already exists");
  auto layout = h5::make_layout(schema, tw);
  const std::string what = "create table";
  H5Id type = h5::table_file_type(schema);
  hsize_t dims = 0, max_dims = H5S_UNLIMITED, chunk = static_cast<hsize_t>(layout->chunk_rows);
  H5Id space = h5::own(H5Screate_simple(1, &dims, &max_dims), tw, what);
  H5Id dcpl = h5::own(H5Pcreate(H5P_DATASET_CREATE), tw, what);
  h5::check(H5Pset_chunk(dcpl.get(), 1, &chunk), tw, what);
  // Shuffle groups the bytes of each field, which deflate then compresses
  // far better (ids and scores change slowly between rows).
  h5::check(H5Pset_shuffle(dcpl.get()), tw, what);
  h5::check(H5Pset_deflate(dcpl.get(), 4), tw, what);
  H5Id lcpl = h5::intermediate_lcpl();
  H5Id dapl = table_access_props();
  H5Id ds = h5::own(
      H5Dcreate2(id(), name.c_str(), type.get(), space.get(), lcpl.get(), dcpl.get(), dapl.get()),
      tw, what);
  return H5Table(std::move(ds), std::move(layout), 0);
}

H5Table H5Group::open_table(const std::string& name) const {
  std::string tw = child_where(*this, name);
  H5Dataset probe = dataset(name);  // InputError if missing or a group
  check_input(probe.shape().size() == 1, tw, ": not a table (expected a 1-D dataset)");
  H5Id dapl = table_access_props();
  H5Id ds = h5::own(H5Dopen2(id(), name.c_str(), dapl.get()), tw, "open table");
  H5Id type = h5::own(H5Dget_type(ds.get()), tw, "open table");
  TableSchema schema = h5::schema_from_type(type.get(), tw);
  int64_t rows = probe.shape()[0];
  return H5Table(std::move(ds), h5::make_layout(schema, tw), rows);
}

H5Table H5Group::require_table(const std::string& name, const TableSchema& schema) {
  if (!has(name)) return create_table(name, schema);
  H5Table t = open_table(name);
  if (t.schema() == schema) return t;
  std::string tw = child_where(*this, name);
  const TableSchema& got = t.schema();
  for (size_t i = 0; i < std::max(got.size(), schema.size()); ++i) {
    auto show = [](const TableSchema& s, size_t k) {
      return k < s.size() ? "'" + s[k].name + "' (" + column_type_name(s[k].type) + ")"
                          : std::string("absent");
    };
    if (i >= got.size() || i >= schema.size() || got[i] != schema[i])
      throw InputError(str(tw, ": existing table has a different schema: column ", i, " is ",
                           show(got, i), " in the file, expected ", show(schema, i)));
  }
  return t;  // unreachable: schemas differ somewhere
}

}  // namespace traitlab
