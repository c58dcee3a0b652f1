// SPDX-License-Identifier: MIT
#include "run_outputs.hpp"

#include "hotmap/crs/crs.hpp"
#include "hotmap/error.hpp"
#include "hotmap/geom/geometry.hpp"
#include "hotmap/io/checksum.hpp"
#include "hotmap/io/gdal_handles.hpp"
#include "hotmap/io/raster.hpp"
#include "hotmap/io/vector.hpp"
#include "hotmap/report/document.hpp"
#include "hotmap/report/i18n.hpp"
#include "hotmap/report/qgis_project.hpp"
#include "hotmap/timeparse.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace hotmap::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

ordered_json accounting_json(const Accounting& a)
{
    ordered_json j;
    j["read"] = a.read;
    j["accepted"] = a.accepted;
    j["filtered"] = a.filtered;
    j["rejected"] = a.rejected;
    j["filtered_by"] = ordered_json::object();
    for (const auto& [k, v] : a.filtered_by) j["filtered_by"][k] = v;
    j["rejected_by"] = ordered_json::object();
    for (const auto& [k, v] : a.rejected_by) j["rejected_by"][k] = v;
    return j;
}

ordered_json file_json(const std::string& path)
{
    ordered_json j;
    j["path"] = path;
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
        j["bytes"] = static_cast<std::uint64_t>(fs::file_size(path, ec));
        j["sha256"] = io::sha256_file(path);
    }
    return j;
}

std::string utc_now()
{
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void write_text(const io::Staged& s, const std::string& text)
{
    std::ofstream f(s.temp, std::ios::binary);
    f << text;
    f.close();
    if (!f) throw OutputError(s.target + ": write failed (is the disk full?)");
}

} // namespace

OutputPlan::OutputPlan(const std::string& dir, bool overwrite, std::vector<std::string> copies)
    : m_dir(dir), m_copies(std::move(copies)), m_outs(overwrite)
{
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) throw OutputError(dir + ": exists and is not a folder");
    if (!fs::exists(dir, ec)) {
        if (!fs::create_directories(dir, ec)) throw OutputError(dir + ": cannot create the folder: " + ec.message());
        m_created = true;
    }
    m_gpkg = &m_outs.add(dir + "/results.gpkg");
    m_json = &m_outs.add(dir + "/run.json");
    m_qgs = &m_outs.add(dir + "/project.qgs");
    m_html = &m_outs.add(dir + "/report.html");
}

OutputPlan::~OutputPlan()
{
    if (m_done || !m_created) return;
    // remove the folder this run created: first the temporaries (the OutputSet would remove
    // them only after this), then the folder if nothing else is in it
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(m_dir, ec))
        if (e.path().filename().string().rfind(".hotmap-tmp", 0) == 0 || e.path().filename().string().find(".hotmap-tmp") != std::string::npos)
            fs::remove(e.path(), ec);
    fs::remove(m_dir, ec); // only succeeds when empty
}

void OutputPlan::write(const pipeline::Inputs& in, const std::vector<pipeline::StepResult>& steps,
                       const std::vector<report::PeriodSteps>& periods, const RunRecord& rec, Log& log)
{
    const report::Catalog cat(rec.lang);
    std::vector<const pipeline::StepResult*> all;
    for (const pipeline::StepResult& s : steps) all.push_back(&s);
    for (const report::PeriodSteps& p : periods)
        for (const pipeline::StepResult& s : p.steps) all.push_back(&s);
    // results.gpkg: every layer and raster, in step order
    ordered_json layers = ordered_json::array();
    for (const pipeline::StepResult* sp : all) {
        const pipeline::StepResult& s = *sp;
        for (const pipeline::StepLayer& l : s.layers) {
            ordered_json lj;
            lj["name"] = l.name;
            lj["step"] = s.id;
            lj["role"] = l.role;
            lj["title"] = report::layer_title(s, l, cat);
            if (l.layer) {
                io::WriteOptions wo;
                wo.layer_name = l.name;
                wo.append = true;
                if (!l.qml.empty()) wo.qml = &l.qml;
                io::write_vector(*l.layer, *m_gpkg, wo);
                lj["type"] = l.layer->kind == io::GeomKind::none ? "table" : "vector";
                lj["features"] = l.layer->size();
                lj["geometry"] = l.layer->kind == io::GeomKind::point ? "point" : l.layer->kind == io::GeomKind::line ? "line"
                                 : l.layer->kind == io::GeomKind::polygon ? "polygon" : "none";
            } else if (l.raster) {
                io::write_gpkg_raster(*l.raster, *m_gpkg, l.name, s.title, l.raster->description);
                lj["type"] = "raster";
                lj["columns"] = l.raster->grid.ncol;
                lj["rows"] = l.raster->grid.nrow;
                lj["cell_m"] = l.raster->grid.cell;
            }
            for (const std::string& c : m_copies) {
                if (l.raster && &c == &m_copies.front()) { // a raster has one copy (GeoTIFF) whatever the vector formats
                    const std::string path = m_dir + "/" + l.name + ".tif";
                    io::write_geotiff(*l.raster, m_outs.add(path, io::raster_sidecars()));
                    lj["copies"].push_back(path);
                } else if (l.layer) {
                    const std::string path = m_dir + "/" + l.name + (c == "shp" ? ".shp" : ".geojson");
                    io::WriteOptions wo;
                    if (!l.qml.empty()) wo.qml = &l.qml;
                    io::write_vector(*l.layer, m_outs.add(path, io::vector_sidecars(path, "", !l.layer->qml.empty())), wo);
                    lj["copies"].push_back(path);
                }
            }
            layers.push_back(lj);
        }
    }
    log.info("wrote " + std::to_string(layers.size()) + " layers to " + m_gpkg->target);

    // run.json: what was run on what, with which software
    ordered_json j;
    j["hotmap"] = HOTMAP_VERSION;
    j["versions"] = {{"gdal", io::gdal_version()}, {"geos", geom::geos_version()}, {"proj", crs::proj_version()}};
    j["started_utc"] = utc_now(); // the one recorded timestamp
    ordered_json cfg = file_json(rec.config);
    j["config"] = cfg;
    j["lang"] = rec.lang;
    if (!rec.each.empty()) j["each"] = rec.each;
    ordered_json inputs;
    inputs["incidents"] = file_json(in.incidents.source);
    const IncidentSet& is = in.incidents;
    inputs["incidents"]["columns"] = {{"x", is.resolved_x},       {"y", is.resolved_y},         {"wkt", is.resolved_wkt},
                                      {"time", is.resolved_time}, {"category", is.resolved_category}, {"weight", is.resolved_weight}};
    if (!is.time_format.empty()) inputs["incidents"]["time_format"] = is.time_format;
    inputs["other"] = ordered_json::array();
    for (const std::string& f : rec.extra_inputs) inputs["other"].push_back(file_json(f));
    j["inputs"] = inputs;
    j["working_crs"] = {{"id", in.working.id()}, {"name", in.working.name()}, {"chosen", in.working_why}};
    j["accounting"] = accounting_json(is.accounting);
    if (const auto tr = is.time_range()) j["time_range"] = {timeparse::format(tr->first), timeparse::format(tr->second)};
    j["districts"] = in.districts.size();
    ordered_json js = ordered_json::array();
    for (const pipeline::StepResult& s : steps) {
        ordered_json sj;
        sj["id"] = s.id;
        sj["command"] = s.command;
        sj["title"] = s.title;
        sj["options"] = ordered_json::object();
        for (const auto& [k, v] : s.options) {
            if (sj["options"].contains(k)) {
                if (!sj["options"][k].is_array()) sj["options"][k] = ordered_json::array({sj["options"][k]});
                sj["options"][k].push_back(v);
            } else {
                sj["options"][k] = v;
            }
        }
        if (!s.filters.empty()) sj["filters"] = s.filters;
        sj["incidents"] = s.incidents;
        sj["log"] = s.log; // the automatic choices (bandwidth, distance band, bounds...)
        js.push_back(sj);
    }
    j["steps"] = js;
    if (!periods.empty()) {
        ordered_json jp = ordered_json::array();
        for (const report::PeriodSteps& p : periods) {
            ordered_json pj;
            pj["period"] = p.label;
            pj["steps"] = ordered_json::array();
            for (const pipeline::StepResult& s : p.steps) pj["steps"].push_back({{"id", s.id}, {"incidents", s.incidents}, {"log", s.log}});
            jp.push_back(pj);
        }
        j["periods"] = jp;
    }
    j["layers"] = layers;
    write_text(*m_json, j.dump(2) + "\n");

    // the report and the QGIS project
    report::BatchInfo info;
    info.title = rec.title;
    info.subtitle = rec.subtitle;
    info.version = HOTMAP_VERSION;
    info.generated = cat.tr("report.generated", {HOTMAP_VERSION, utc_now().substr(0, 10)});
    write_text(*m_html, report::render_html(report::batch_document(in, steps, info, cat, periods)));
    write_text(*m_qgs, report::qgis_project(report::batch_project(in, steps, info, cat)));
    m_outs.commit();
    m_done = true;
}

} // namespace hotmap::cli
