// libstdp_nir_hdf5.so: the only code linked with HDF5 (whose Debian build brings libcurl,
// Kerberos, LDAP and some 30 libraries more), opened by writeNir (io/NirExport.cpp).

#include <hdf5.h>

#include <cstdio>
#include <exception>

#include "foundation/Settings.h"
#include "io/NirExport.h"

namespace stdp {

namespace {

// ---- Writing HDF5 ------------------------------------------------------------------------------

// An HDF5 handle closed on every path out, so that a failed write leaks nothing.
class Handle {
  public:
    Handle(hid_t id, herr_t (*close)(hid_t), const char* what) : id_(id), close_(close) {
        if (id_ < 0)
            throw UserError(std::string("NIR file: HDF5 could not create ") + what);
    }
    ~Handle() {
        if (id_ >= 0)
            close_(id_);
    }
    Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle& operator=(Handle&&) = delete;
    hid_t get() const { return id_; }

  private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

void check(herr_t status, const char* what) {
    if (status < 0)
        throw UserError(std::string("NIR file: HDF5 could not write ") + what);
}

Handle group(hid_t parent, const std::string& name) {
    return {H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
            "a group"};
}

// Variable-length UTF-8 strings, as h5py writes Python str (h5py.string_dtype()).
Handle stringType() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "a string type");
    check(H5Tset_size(type.get(), H5T_VARIABLE), "a string type");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "a string type");
    return type;
}

void writeStrings(hid_t parent, const std::string& name, const std::vector<const char*>& values,
                  const std::vector<hsize_t>& dims) {
    const Handle type = stringType();
    const Handle space(dims.empty()
                           ? H5Screate(H5S_SCALAR)
                           : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       H5Sclose, "a dataspace");
    const Handle set(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
                     H5Dclose, name.c_str());
    check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          name.c_str());
}

void writeString(hid_t parent, const std::string& name, const std::string& value) {
    writeStrings(parent, name, {value.c_str()}, {});
}

void writeFloats(hid_t parent, const std::string& name, const std::vector<float>& values,
                 const std::vector<hsize_t>& dims) {
    const Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       H5Sclose, "a dataspace");
    const Handle set(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F32LE, space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
                     H5Dclose, name.c_str());
    check(H5Dwrite(set.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          name.c_str());
}

void writeShape(hid_t parent, std::int64_t size) {
    const hsize_t one = 1;
    const Handle space(H5Screate_simple(1, &one, nullptr), H5Sclose, "a dataspace");
    const Handle set(H5Dcreate2(parent, "shape", H5T_STD_I64LE, space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
                     H5Dclose, "shape");
    check(H5Dwrite(set.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &size), "shape");
}

// One NIR node: a group with its `type` and its parameters.
Handle node(hid_t nodes, const std::string& name, const std::string& type) {
    Handle g = group(nodes, name);
    writeString(g.get(), "type", type);
    return g;
}

// The file is built in memory (HDF5's core driver, no backing store) and then written with the
// project's atomic writer: a full disk or a bad folder leaves nothing half-written.
std::vector<std::uint8_t> nirFileImage(const NirGraph& g) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr noise
    const Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
    check(H5Pset_fapl_core(access.get(), 1 << 20, 0), "an in-memory file");
    std::vector<std::uint8_t> image;
    {
        const Handle file(
            H5Fcreate("stdp-nir-in-memory.h5", H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose,
            "the file");
        const hid_t f = file.get();
        // The NIR version whose layout this follows (nir.serialization.write).
        writeString(f, "version", "1.0.7");
        const Handle graph = group(f, "node");
        writeString(graph.get(), "type", "NIRGraph");
        const Handle nodes = group(graph.get(), "nodes");
        const auto K = static_cast<hsize_t>(g.units);
        const auto D = static_cast<hsize_t>(g.inputs);
        {
            const Handle input = node(nodes.get(), "input", "Input");
            writeShape(input.get(), g.inputs);
        }
        {
            const Handle affine = node(nodes.get(), "affine", "Affine");
            writeFloats(affine.get(), "weight", g.weight, {K, D});
            writeFloats(affine.get(), "bias", g.bias, {K});
        }
        const std::vector<float> tau(K, g.tau), r(K, g.r), zero(K, 0.0f), theta(K, g.v_threshold);
        std::vector<std::pair<std::string, std::string>> edges = {{"input", "affine"}};
        if (g.reset) {
            const Handle lif = node(nodes.get(), "lif", "LIF");
            writeFloats(lif.get(), "tau", tau, {K});
            writeFloats(lif.get(), "r", r, {K});
            writeFloats(lif.get(), "v_leak", zero, {K});
            writeFloats(lif.get(), "v_reset", zero, {K});
            writeFloats(lif.get(), "v_threshold", theta, {K});
            edges.insert(edges.end(), {{"affine", "lif"}, {"lif", "output"}});
        } else {
            const Handle li = node(nodes.get(), "li", "LI");
            writeFloats(li.get(), "tau", tau, {K});
            writeFloats(li.get(), "r", r, {K});
            writeFloats(li.get(), "v_leak", zero, {K});
            const Handle threshold = node(nodes.get(), "threshold", "Threshold");
            writeFloats(threshold.get(), "threshold", theta, {K});
            edges.insert(edges.end(),
                         {{"affine", "li"}, {"li", "threshold"}, {"threshold", "output"}});
        }
        {
            const Handle output = node(nodes.get(), "output", "Output");
            writeShape(output.get(), g.units);
        }
        std::vector<const char*> names;
        for (const auto& [from, to] : edges) {
            names.push_back(from.c_str());
            names.push_back(to.c_str());
        }
        writeStrings(graph.get(), "edges", names, {edges.size(), 2});
        if (!g.metadata.empty()) {
            const Handle metadata = group(graph.get(), "metadata");
            for (const auto& [key, value] : g.metadata)
                writeString(metadata.get(), key, value);
        }
        check(H5Fflush(f, H5F_SCOPE_GLOBAL), "the file");
        const ssize_t size = H5Fget_file_image(f, nullptr, 0);
        if (size <= 0)
            throw UserError("NIR file: HDF5 could not produce the file");
        image.resize(static_cast<std::size_t>(size));
        if (H5Fget_file_image(f, image.data(), image.size()) != size)
            throw UserError("NIR file: HDF5 could not produce the file");
    }
    return image;
}

}  // namespace

}  // namespace stdp

extern "C" __attribute__((visibility("default"))) int stdp_nir_file_image(
    const stdp::NirGraph* graph, std::vector<std::uint8_t>* image, char* error,
    std::size_t error_size) {
    try {
        *image = stdp::nirFileImage(*graph);
        return 0;
    } catch (const std::exception& e) {
        std::snprintf(error, error_size, "%s", e.what());
    }
    return 1;
}
